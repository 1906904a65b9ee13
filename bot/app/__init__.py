"""The application shell, the only part of lectern that knows everything: the composition
root (build), the serve loop of `lectern run` (serve), the operator CLI (cli, arguments)
and what it prints (output)."""
