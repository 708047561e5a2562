"""The baogao web site and JSON API."""
