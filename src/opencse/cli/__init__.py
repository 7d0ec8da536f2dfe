"""The `opencse` console command."""
