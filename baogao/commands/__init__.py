"""The subcommands of `baogao`, one module per group; each `register(sub)` adds its parsers
(with the function each runs) to the command line's subparsers."""
