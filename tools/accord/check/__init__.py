"""What makes `accord check` fast, apart from what it checks: the parse cache (cache.py), the
results cache (results.py), the narrowing of a pre-commit run to the posts its files are
checked against (narrow.py), and work on the machine's other core (forked.py)."""
