"""Plain-text renderers of tables, tree, diff, report and review."""
