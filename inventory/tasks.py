"""The inventory's background tasks (portal/core/tasks.py): they run in the worker, never in a request."""
