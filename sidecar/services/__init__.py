"""The rules: connect, sync, shortcodes, links, reconcile. No HTTP, no raw SQL."""
