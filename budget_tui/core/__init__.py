"""The pure core: money, model, figures, tree, tables, checks, narrative. No Textual, no disk, no stdout."""
