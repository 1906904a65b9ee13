"""`python -m bot`: the operator CLI, bot.app.cli."""
import sys

from bot.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
