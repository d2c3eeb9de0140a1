"""Reading the API's OpenAPI document in the tests: a value its schema for a parameter admits, and
whether that schema admits an empty value (what the API must then accept, and otherwise refuse)."""


def value_schema(param: dict) -> dict:
    """The schema of one value of the parameter (an array's items)."""
    schema = param["schema"]
    return schema.get("items", schema) if schema.get("type") == "array" else schema


def admits_empty(param: dict) -> bool:
    """Whether `?name=` is a value the document allows: a string with no code list, pattern or
    minimum length (free text). An integer, a code or an identifier has no empty value."""
    schema = value_schema(param)
    return schema.get("type") == "string" and not ({"enum", "pattern", "minLength"} & set(schema))


def example(param: dict) -> str:
    """A value the document allows for the parameter."""
    schema = value_schema(param)
    if "enum" in schema:
        return str(schema["enum"][0])
    if schema.get("type") == "integer":
        return str(schema.get("default", schema.get("minimum", 1)))
    if "pattern" in schema:
        raise AssertionError(f"no example for the pattern {schema['pattern']}: give one")
    return ""
