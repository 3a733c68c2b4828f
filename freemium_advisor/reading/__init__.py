"""Reading files into the model: inventories, rule packs, the check catalog, configuration, baselines, git revisions and imported pricings."""
