"""The `baogao` command line."""
