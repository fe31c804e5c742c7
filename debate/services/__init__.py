"""Services: the domain rules, one place for each, and the single commit."""
