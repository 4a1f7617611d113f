"""What no single domain owns: audit log, permission helpers, errors, i18n, health."""
