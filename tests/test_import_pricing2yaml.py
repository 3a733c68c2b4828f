"""Pricing2Yaml import: the fixture exactly, the real dataset, and every structural error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from freemium_advisor.base.errors import InputError
from freemium_advisor.reading.importers import dump_inventory, humanize
from freemium_advisor.reading.importers.pricing2yaml import import_pricing2yaml
from freemium_advisor.reading.inventory_reader import parse_inventory

FIXTURES = Path(__file__).parent / "fixtures" / "import"
# A copy of the dataset (MIT, see its LICENSE) ships with the tests so that CI needs nothing
# from outside the repository; PRICING2YAML_DATASET points the tests at another copy.
DATASET = Path(os.environ.get("PRICING2YAML_DATASET", Path(__file__).parent / "data" / "pricing2yaml"))
DATASET_FILES = sorted(DATASET.glob("*/*.yml"))


def load(product: str, year: int) -> dict:
    path = DATASET / product / f"{year}.yml"
    return import_pricing2yaml(path.read_text(encoding="utf-8"), f"{product}/{year}.yml")


def by_id(data: dict) -> dict:
    return {feature["id"]: feature for feature in data["features"]}


def error(text: str, path: str = "p.yml") -> str:
    with pytest.raises(InputError) as caught:
        import_pricing2yaml(text, path)
    return str(caught.value)


# --- the fixture, exactly --------------------------------------------------------------

BOARDLY = {
    "version": 1,
    "product": {
        "name": "Boardly",
        "description": "Imported from a Pricing2Yaml pricing "
                       "(version 2024-05-01, https://boardly.example/pricing).",
        "model": "freemium",
        # BUSINESS and TEAM cost the same: file order breaks the tie; Contact Sales is last.
        "tiers": ["FREE", "BUSINESS", "TEAM", "ENTERPRISE"],
    },
    "features": [
        # useBoardGuests is linked first but FREE already has the top plan's 2: maxBoards wins.
        # Metered by the first linked limit, whatever its values.
        {"id": "shareBoards", "name": "Share boards", "description": "Invite anyone to a board.",
         "category": "domain", "current": "FREE", "limit": {"metric": "board", "free": 3},
         "metered": "board guests"},
        # An empty description is left out; a limit without a unit is named from its key.
        {"id": "SSL/TLSEncryption", "name": "SSL/TLS encryption", "category": "guarantee",
         "current": "FREE", "limit": {"metric": "encrypted domains", "free": 1},
         "metered": "encrypted domains"},
        # NUMERIC 0 is not included; historyDays is no free wall for a feature FREE lacks,
        # but it meters the feature all the same.
        {"id": "boardHistory", "name": "Board history", "category": "information",
         "current": "BUSINESS", "metered": "day"},
        # TEXT "NONE" is not included.
        {"id": "support", "name": "Support", "description": "Who answers.",
         "category": "support", "current": "BUSINESS"},
        # In a plan and in an add-on: the plan counts, so it is no add-on feature.
        {"id": "singleSignOn", "name": "Single sign on", "description": "SAML single sign-on.",
         "category": "integration: identity provider", "current": "ENTERPRISE"},
        {"id": "autoSummaries", "name": "Auto summaries", "category": "automation: bot",
         "addon": True},
        {"id": "offlineMode", "name": "Offline mode", "category": "domain"},
    ],
}


def test_fixture_imports_exactly():
    text = (FIXTURES / "boardly.yml").read_text(encoding="utf-8")
    assert import_pricing2yaml(text, "boardly.yml") == BOARDLY


def test_fixture_dumps_to_the_expected_yaml():
    data = import_pricing2yaml((FIXTURES / "boardly.yml").read_text(encoding="utf-8"), "boardly.yml")
    header = "Imported from boardly.yml (Pricing2Yaml).\nCheck every feature, then answer the signals."
    text = dump_inventory(data, header=header)
    assert text == (FIXTURES / "boardly.expected.yaml").read_text(encoding="utf-8")
    inventory = parse_inventory(text, "boardly.yaml")
    assert inventory.feature("shareBoards").limit.free == 3
    assert inventory.product.model == "freemium"


# --- the real dataset -------------------------------------------------------------------

@pytest.mark.parametrize(
    "path", DATASET_FILES, ids=[f"{p.parent.name}/{p.name}" for p in DATASET_FILES]
)
def test_every_dataset_file_imports_validates_and_is_deterministic(path):
    text = path.read_text(encoding="utf-8")
    data = import_pricing2yaml(text, str(path))
    dumped = dump_inventory(data, header=f"Imported from {path.name}")
    inventory = parse_inventory(dumped, str(path))
    assert len(inventory.features) == len(data["features"]) > 0
    # Plan membership never turns into PM answers or collaboration claims.
    assert all("signals" not in feature for feature in data["features"])
    assert "collaborative" not in data["product"]
    assert dump_inventory(import_pricing2yaml(text, str(path)), header=f"Imported from {path.name}") == dumped


def test_dataset_has_all_the_files_its_readme_lists():
    assert len(DATASET_FILES) == 79
    assert len({p.parent.name for p in DATASET_FILES}) == 16


def test_slack_2024_tiers_and_placement():
    data = load("slack", 2024)
    assert data["product"]["name"] == "slack"
    assert data["product"]["model"] == "freemium"
    assert data["product"]["tiers"] == ["FREE", "PRO", "BUSINESS_PLUS", "ENTERPRISE_GRID"]
    features = by_id(data)
    assert features["messagesAccess"]["current"] == "FREE"
    assert features["lists"]["current"] == "PRO"
    assert features["usersManagementSCIM"]["current"] == "BUSINESS_PLUS"
    assert features["singleSignOn"]["current"] == "ENTERPRISE_GRID"
    assert features["support"]["current"] == "FREE"  # TEXT "Standard support" is included
    assert features["slackAI"]["addon"] is True
    assert "current" not in features["slackAI"]
    # adminSlackEnterpriseKeys is sold as an add-on of ENTERPRISE_GRID only, never in a plan.
    assert features["adminSlackEnterpriseKeys"] == {
        "id": "adminSlackEnterpriseKeys",
        "name": "Admin slack enterprise keys",
        "description": "Slack's encryption key management (EKM) administration.",
        "category": "integration: web saas",
        "addon": True,
    }
    assert "current" not in features["customTemplates"]  # in no plan and no add-on
    assert "addon" not in features["customTemplates"]


def test_slack_2024_limits_only_on_free_features_with_a_lower_free_value():
    features = by_id(load("slack", 2024))
    assert features["voiceAndVideoCalls"]["limit"] == {"metric": "people", "free": 1}
    assert features["messagesAccess"]["limit"] == {"metric": "message", "free": 90}
    assert "limit" not in features["workspaces"]  # 1 on FREE and 1 on ENTERPRISE_GRID
    assert "limit" not in features["premiumWorkflows"]  # not on the FREE plan at all
    assert [f for f, v in features.items() if "limit" in v] == [
        "messagesAccess", "voiceAndVideoCalls", "slackConnect", "appsAndServices",
    ]


def test_slack_2024_names_and_categories():
    features = by_id(load("slack", 2024))
    assert features["voiceAndVideoCalls"]["name"] == "Voice and video calls"
    assert features["singleSignOn"]["name"] == "Single sign on"
    assert features["singleSignOn"]["category"] == "integration: identity provider"
    assert features["slackAI"]["name"] == "Slack AI"
    assert features["slackAI"]["category"] == "automation: bot"
    assert features["messagesAccess"]["category"] == "domain"


def test_a_product_without_a_free_plan_gets_one_prepended():
    data = load("dropbox", 2024)
    assert data["product"]["model"] == "paid-only"
    assert data["product"]["tiers"][0] == "free"
    assert all(f.get("current") != "free" for f in data["features"])
    assert all("limit" not in f for f in data["features"])


@pytest.mark.parametrize(
    ("product", "year", "tiers"),
    [
        ("wrike", 2024, ["FREE", "TEAM", "BUSINESS", "ENTERPRISE", "PINNACLE"]),
        ("userguiding", 2024, ["free", "BASIC", "PROFESSIONAL", "CORPORATE"]),
        ("trustmary", 2020, ["free", "LIGHT", "PLUS", "ENTERPRISE"]),  # all "Contact Sales"
        ("clockify", 2019, ["FREE", "PLUS", "ENTERPRISE", "PREMIUM"]),  # 9.99 tie, file order
        # The cheaper Dev Mode seats are parallel lines of Organization and Enterprise.
        ("figma", 2024, ["STARTER", "PROFESSIONAL", "ORGANIZATION", "ENTERPRISE"]),
        # Business Plus costs more than Plus: a rung of its own.
        ("dropbox", 2024, ["free", "PLUS", "BUSINESS", "ESSENTIALS", "BUSINESS_PLUS"]),
    ],
)
def test_tiers_are_ordered_cheapest_first(product, year, tiers):
    assert load(product, year)["product"]["tiers"] == tiers


def test_a_feature_of_a_parallel_line_stands_on_its_rung():
    features = by_id(load("figma", 2024))
    currents = {f.get("current") for f in features.values()}
    assert not any(str(c).startswith("DEV_MODE") for c in currents)


PARALLEL = """\
features:
  chat: {valueType: BOOLEAN, defaultValue: false, type: DOMAIN}
  devTools: {valueType: BOOLEAN, defaultValue: false, type: DOMAIN}
  audit: {valueType: BOOLEAN, defaultValue: false, type: MANAGEMENT}
plans:
  FREE: {price: 0, features: {chat: {value: true}}}
  COMMUNITY: {price: 0.0, features: {devTools: {value: true}}}
  TEAM: {price: 10, features: {audit: {value: true}}}
  DEV_TEAM: {price: 5, features: {devTools: {value: true}}}
"""


def test_every_free_plan_is_the_free_rung_and_a_cheaper_namesake_is_a_parallel_line():
    data = import_pricing2yaml(PARALLEL, "p.yml")
    assert data["product"]["tiers"] == ["FREE", "TEAM"]
    assert {f["id"]: f["current"] for f in data["features"]} == {
        "chat": "FREE", "devTools": "FREE", "audit": "TEAM",
    }


def test_syntax_3_file_and_odd_feature_keys():
    features = by_id(load("clockify", 2024))
    assert features["accessToAllCake.comProducts"]["name"] == "Access to all cake.com products"
    assert features["accessToAllCake.comProducts"]["current"] == "CAKE_BUNDLE"


def test_text_values_as_lists_count_as_included():
    features = by_id(load("github", 2024))
    assert features["invoiceBilling"]["current"] == "FREE"  # defaultValue ['CARD']


# --- names ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("voiceAndVideoCalls", "Voice and video calls"),
        ("SSL/TLSEncryption", "SSL/TLS encryption"),
        ("singleSignOn", "Single sign on"),
        ("99%uptimeSLA", "99% uptime SLA"),
        ("customFieldsWorkflows&Statuses", "Custom fields workflows & statuses"),
        ("exportNotebooksAsPDFs", "Export notebooks as PDFs"),
        ("SOC2Report", "SOC 2 report"),
        ("force2FA", "Force 2FA"),
        ("reviewSchema.orgMarkup", "Review schema.org markup"),
        ("ad-free", "Ad-free"),
        ("google+Integration", "Google+ integration"),
        ("snake_case_key", "Snake case key"),
        ("canvas", "Canvas"),
        # Acronyms written as words get their case back.
        ("uiKits", "UI kits"),
        ("restApis", "REST APIs"),
        ("restApiForVariables", "REST API for variables"),
        ("euDataHosting", "EU data hosting"),
        ("oAuthGoogle", "OAuth google"),
        ("figmaForVsCode", "Figma for VS Code"),
        ("samlSso", "SAML SSO"),
        ("aiCallSummaries", "AI call summaries"),
        ("restaurantApi", "Restaurant API"),
    ],
)
def test_humanize(key, name):
    assert humanize(key) == name


# --- products and prices ----------------------------------------------------------------

MINIMAL = """\
features:
  chat: {valueType: BOOLEAN, defaultValue: true, type: DOMAIN}
plans:
  PAID: {price: 10, features: null}
"""


def test_name_falls_back_to_the_file_stem_and_stdin():
    assert import_pricing2yaml(MINIMAL, "pricings/acme-2024.yml")["product"]["name"] == "acme-2024"
    assert import_pricing2yaml(MINIMAL, "<stdin>")["product"]["name"] == "Imported product"
    assert import_pricing2yaml(MINIMAL, "x.yml")["product"]["description"] == (
        "Imported from a Pricing2Yaml pricing."
    )


def test_paid_only_without_a_free_plan():
    assert import_pricing2yaml(MINIMAL, "x.yml") == {
        "version": 1,
        "product": {
            "name": "x",
            "description": "Imported from a Pricing2Yaml pricing.",
            "model": "paid-only",
            "tiers": ["free", "PAID"],
        },
        "features": [
            {"id": "chat", "name": "Chat", "category": "domain", "current": "PAID"},
        ],
    }


def test_a_paid_plan_named_free_does_not_clash_with_the_added_tier():
    text = MINIMAL.replace("PAID", "free")
    assert import_pricing2yaml(text, "x.yml")["product"]["tiers"] == ["free-tier", "free"]


def test_a_quoted_zero_price_is_a_free_plan():
    text = MINIMAL + "  GRATIS: {price: '0'}\n"
    product = import_pricing2yaml(text, "x.yml")["product"]
    assert product["model"] == "freemium"
    assert product["tiers"] == ["GRATIS", "PAID"]


# --- structural errors ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "p.yml:1:1: error: the pricing file is empty"),
        ("- a\n", "p.yml:1:1: error: a Pricing2Yaml pricing must be a mapping, not a list"),
        ("saasName: X\nplans: {FREE: {price: 0}}\n", "p.yml:1:1: error: the pricing has no 'features'"),
        ("saasName: X\nfeatures: [a, b]\nplans: {FREE: {price: 0}}\n",
         "p.yml:2:11: error: 'features' must be a mapping, not a list"),
        ("features:\n  chat: yes\nplans: {FREE: {price: 0}}\n",
         "p.yml:2:9: error: feature 'chat' must be a mapping, not a boolean"),
        ("features:\n  chat: {}\n", "p.yml:1:1: error: the pricing has no 'plans'"),
        ("features:\n  chat: {}\nplans: {}\n", "p.yml:3:8: error: the pricing has no plans"),
        ("features:\n  chat: {}\nplans:\n  FREE: 0\n",
         "p.yml:4:9: error: plan 'FREE' must be a mapping, not a number"),
        ("features:\n  'share board': {}\nplans: {FREE: {price: 0}}\n",
         "p.yml:2:3: error: invalid feature id 'share board': use letters, digits and "
         "- _ . & / % +, starting with a letter or digit"),
        ("features:\n  chat: {description: [a]}\nplans:\n  FREE: {price: 0}\n",
         "p.yml:2:23: error: 'description' must be text, not a list"),
        ("features:\n  chat: {}\n  chat: {}\n",
         "p.yml:3:3: error: duplicate key 'chat' (first defined on line 2)"),
    ],
)
def test_document_errors(text, message):
    assert error(text) == message


BASE = """\
features:
  chat: {valueType: BOOLEAN, defaultValue: false}
  calls: {valueType: BOOLEAN, defaultValue: false}
usageLimits:
  seats: {valueType: NUMERIC, defaultValue: 1, linkedFeatures: [chat]}
plans:
  FREE: {price: 0}
  PRO:
    price: 9
"""


@pytest.mark.parametrize(
    ("tail", "message"),
    [
        ("    features: [chat]\n",
         "p.yml:10:15: error: 'features' of plan 'PRO' must be a mapping, not a list"),
        ("    features:\n      chta: {value: true}\n",
         "p.yml:11:7: error: unknown feature 'chta' in plan 'PRO' (did you mean 'chat'?)"),
        ("    features:\n      chat: true\n",
         "p.yml:11:13: error: 'chat' in plan 'PRO' must be a mapping, not a boolean"),
        ("    features:\n      chat: {enabled: true}\n",
         "p.yml:11:7: error: 'chat' in plan 'PRO' has no 'value'"),
        ("    usageLimits:\n      seat: {value: 5}\n",
         "p.yml:11:7: error: unknown usage limit 'seat' in plan 'PRO' (did you mean 'seats'?)"),
        ("  TEAM: {price: -5}\n",
         "p.yml:10:17: error: plan 'TEAM' has an invalid price -5"),
        ("addOns:\n  ai:\n    availableFor: [PRO, PRP]\n",
         "p.yml:12:25: error: unknown plan 'PRP' in add-on 'ai' (did you mean 'PRO'?); "
         "the plans are FREE or PRO"),
        ("addOns:\n  ai:\n    availableFor: PRO\n",
         "p.yml:12:19: error: 'availableFor' of add-on 'ai' must be a list of plan names, not text"),
        ("addOns:\n  ai:\n    features:\n      cals: {value: true}\n",
         "p.yml:13:7: error: unknown feature 'cals' in add-on 'ai' (did you mean 'calls'?)"),
        ("addOns:\n  ai: null\n",
         "p.yml:11:7: error: add-on 'ai' must be a mapping, not null"),
    ],
)
def test_plan_and_addon_errors(tail, message):
    assert error(BASE + tail) == message


def test_unknown_linked_feature():
    text = BASE.replace("linkedFeatures: [chat]", "linkedFeatures: [chat, cals]")
    assert error(text) == (
        "p.yml:5:71: error: unknown feature 'cals' in usage limit 'seats' (did you mean 'calls'?)"
    )


def test_linked_features_must_be_a_list():
    text = BASE.replace("linkedFeatures: [chat]", "linkedFeatures: chat")
    assert error(text) == "p.yml:5:64: error: 'linkedFeatures' must be a list of features, not text"


def test_every_problem_in_one_run():
    text = BASE.replace("linkedFeatures: [chat]", "linkedFeatures: [chta]") + (
        "    features:\n      cals: {value: true}\n  TEAM: {price: [5]}\n"
        "addOns:\n  ai: {availableFor: [PRP]}\n"
    )
    assert error(text).splitlines() == [
        "p.yml:5:65: error: unknown feature 'chta' in usage limit 'seats' (did you mean 'chat'?)",
        "p.yml:11:7: error: unknown feature 'cals' in plan 'PRO' (did you mean 'calls'?)",
        "p.yml:12:17: error: plan 'TEAM' has an invalid price: a number or text, not a list",
        "p.yml:14:23: error: unknown plan 'PRP' in add-on 'ai' (did you mean 'PRO'?); "
        "the plans are FREE, PRO or TEAM",
    ]


@pytest.mark.parametrize("version, kind", [("[2, 1]", "a list"), ("{major: 2}", "a mapping"),
                                           ("true", "a boolean"), ("null", "null")])
def test_a_syntax_version_that_is_not_a_version(run, write, version, kind):
    path = write("p.yml", f"syntaxVersion: {version}\n" + BASE)
    result = run("import", "pricing2yaml", path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"{path}:1:16: error: 'syntaxVersion' must be a version like '2.1', not {kind}\n"


@pytest.mark.parametrize("version", ["'2.1'", "2.1", "'3.0'"])
def test_a_syntax_version_imports(version):
    assert import_pricing2yaml(f"syntaxVersion: {version}\n" + BASE, "p.yml")["product"]["tiers"] == ["FREE", "PRO"]


def test_invalid_yaml_is_located():
    assert error("features: {chat: [}\n").startswith("p.yml:1:")
