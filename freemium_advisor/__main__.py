"""Allow ``python -m freemium_advisor``."""

from freemium_advisor.cli import main

main()
