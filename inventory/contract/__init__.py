"""The data contract: the published Table Schemas, the labels of their coded values, and the import of the
returns table."""
