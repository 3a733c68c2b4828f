"""The vocabulary and the data model: signals, the inventory, waivers, rules and the rules' expression language."""
