"""Reports people read: terminal, markdown and self-contained HTML."""
