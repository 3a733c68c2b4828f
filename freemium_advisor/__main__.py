"""Allow ``python -m freemium_advisor``."""

from freemium_advisor.launch import main

main()
