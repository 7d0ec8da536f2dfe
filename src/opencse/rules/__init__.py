"""Law as code: pure functions with cited sources and dated parameters. No Django here.

Each rule takes plain values and returns a frozen result with its explanation (the lines of the
computation with citations) and the parameter versions it used. See design/architecture.md.
"""
