"""The CLI's subcommands, one module per group; each imports only what it needs."""
