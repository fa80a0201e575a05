"""The scenario page in both languages, and its central figure for a documented example scope
(docs/scenario.md: canteen and catering markets held by for-profit operators in 2024) reproduced
with independent SQL on the base tables plus the arithmetic of the method."""

import numpy as np
import pytest

from tests.page_helpers import figures, open_page, shown_tables, sql, sql_all

EXAMPLE = {"_sc_year": "2024", "_sc_domains": ["canteen", "catering"]}


def url(at, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


def canteen_markups(db) -> tuple[float, dict[str, float]]:
    """The for-profit holders' canteen markup over 2022–2024 (every establishment) and each ESS
    operator's own: Σ price / Σ reference price − 1 over the prices set while it held the
    canteen."""
    rows = sql_all(
        db,
        """SELECT k.kind_group, c.operator_id, sum(p.price_eur)::DOUBLE,
                  sum(p.reference_price_eur)::DOUBLE
           FROM canteen_price AS p
           JOIN contract_establishment AS ce USING (establishment_id)
           JOIN contract AS c ON c.contract_id = ce.contract_id AND c.domain_id = 'canteen'
                AND p.valid_from BETWEEN c.start_date AND c.end_date
           JOIN operator AS o ON o.operator_id = c.operator_id
           JOIN operator_kind AS k USING (kind_id)
           WHERE p.valid_from <= DATE '2024-12-31' AND p.valid_to >= DATE '2022-01-01'
           GROUP BY 1, 2""",
    )
    prices = sum(price for group, _, price, _ in rows if group == "for_profit")
    references = sum(ref for group, _, _, ref in rows if group == "for_profit")
    ess = {operator: price / ref - 1 for group, operator, price, ref in rows if group == "ess"}
    return prices / references - 1, ess


def example_reinsertion(db) -> tuple[float, float, float]:
    """Low, central and high extra euros to reinsertion for the example scope, by hand: the
    central at the p50 margin, share and ESS canteen markup, the band from each ESS operator's
    own values. The people detained save on canteen prices, and the markets earn that less."""
    in_scope = """
        FROM contract_revenue AS cr
        JOIN contract AS c USING (contract_id)
        JOIN operator AS o USING (operator_id)
        JOIN operator_kind AS k USING (kind_id)
        WHERE k.kind_group = 'for_profit' AND cr.year = 2024
          AND c.domain_id IN ('canteen', 'catering')"""
    (value,) = sql(db, f"SELECT sum(cr.revenue_eur)::DOUBLE {in_scope}")
    (canteen,) = sql(
        db, f"SELECT sum(cr.revenue_eur)::DOUBLE {in_scope} AND c.domain_id = 'canteen'"
    )
    (current,) = sql(
        db,
        f"""WITH moved AS (SELECT c.operator_id, sum(cr.revenue_eur) AS revenue {in_scope}
                           GROUP BY c.operator_id)
            SELECT coalesce(sum(a.amount_eur * m.revenue / r.revenue_eur), 0)::DOUBLE
            FROM moved AS m
            JOIN operator_result AS r ON r.operator_id = m.operator_id AND r.year = 2024
            JOIN reallocation AS a ON a.operator_id = m.operator_id AND a.year = 2024
            JOIN destination AS d USING (destination_id)
            WHERE d.category_id = 'reinsertion'""",
    )
    per_operator = sql_all(
        db,
        """SELECT o.operator_id, sum(r.revenue_eur)::DOUBLE, sum(r.result_eur)::DOUBLE,
                  (SELECT coalesce(sum(a.amount_eur), 0)::DOUBLE FROM reallocation AS a
                   JOIN destination AS d USING (destination_id)
                   WHERE a.operator_id = o.operator_id AND a.year BETWEEN 2022 AND 2024
                     AND d.category_id = 'reinsertion')
           FROM operator_result AS r
           JOIN operator AS o USING (operator_id)
           JOIN operator_kind AS k USING (kind_id)
           WHERE k.kind_group = 'ess' AND r.year BETWEEN 2022 AND 2024
           GROUP BY o.operator_id""",
    )
    margins = [res / rev if rev > 0 else None for _, rev, res, _ in per_operator]
    shares = [given / res if res > 0 else None for _, _, res, given in per_operator]
    margin = np.percentile([m for m in margins if m is not None], 50)
    share = np.percentile([s for s in shares if s is not None], 50)
    today, ess_markups = canteen_markups(db)
    markup = np.percentile(list(ess_markups.values()), 50)

    def earned(ess_markup: float) -> float:
        return value - canteen * (1 - (1 + ess_markup) / (1 + today))

    central = earned(markup) * margin * share - current
    each = [
        earned(ess_markups.get(operator, markup))
        * (m if m is not None else margin)
        * (s if s is not None else share)
        - current
        for (operator, *_), m, s in zip(per_operator, margins, shares, strict=True)
    ]
    low = min(np.percentile(each, 10), central)
    high = max(np.percentile(each, 90), central)
    return low, central, high


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_example_scope_central_figure_matches_independent_sql(built_db, lang):
    at = open_page("scenario", lang=lang, **EXAMPLE)
    band, sensitivity = figures(at)
    low, expected, high = example_reinsertion(built_db)
    assert expected > 0
    assert band["data"][0]["y"][0] == pytest.approx(expected, rel=1e-6)
    # The low-high whisker: p10 / p90 of the operators' own results, bracketing the central.
    error = band["data"][0]["error_y"]
    assert min(error["array"]) >= 0 and min(error["arrayminus"]) >= 0
    assert error["array"][0] == pytest.approx(high - expected, rel=1e-6)
    assert error["arrayminus"][0] == pytest.approx(expected - low, rel=1e-6)
    texts = [a["text"] for a in band["layout"]["annotations"]]
    assert any("scenario_" in text for text in texts)
    word = "réinsertion" if lang == "fr" else "reinsertion"
    assert word in band["layout"]["title"]["text"]
    # The sensitivity chart lists the widest swing first.
    swings = sensitivity["data"][0]["x"]
    assert swings == sorted(swings, reverse=True)
    metric = at.metric[0]
    assert metric.label == (
        "Euros en plus pour la réinsertion" if lang == "fr" else "Extra euros to reinsertion"
    )


def test_the_scenario_is_in_the_url_and_an_assumption_moves_the_result(built_db):
    at = open_page("scenario", lang="en", **EXAMPLE)
    base = figures(at)[0]["data"][0]["y"][0]
    assert url(at, "_sc_year") == ["2024"]
    assert url(at, "_sc_domains") == ["canteen", "catering"]
    margin = next(n for n in at.text_input if n.label.startswith("ESS operators' margin"))
    margin.set_value(f"{float(margin.value) * 2:.1f}").run()
    assert not at.exception
    doubled = figures(at)[0]["data"][0]["y"][0]
    assert doubled > base
    assert "_sc_margin" in at.query_params


def _margin_field(at, lang: str):
    start = "Marge des opérateurs de l'ESS" if lang == "fr" else "ESS operators' margin"
    return next(n for n in at.text_input if n.label.startswith(start))


@pytest.mark.parametrize(("lang", "typed"), [("fr", "7,5"), ("en", "7.5")])
def test_an_assumption_is_typed_and_shown_in_the_readers_number_format(built_db, lang, typed):
    """French readers write 7,5: read as 7.5 %, not 75 (Streamlit's own number field read
    "7,6" as 76 in Chromium), and shown back with a comma."""
    at = open_page("scenario", lang=lang, **EXAMPLE)
    shown = _margin_field(at, lang).value
    assert ("," in shown and "." not in shown) if lang == "fr" else "." in shown
    _margin_field(at, lang).set_value(typed).run()
    assert not at.exception and not at.error
    assert url(at, "_sc_margin") == ["0.075"]
    assert _margin_field(at, lang).value == typed


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_typed_text_that_is_no_number_says_so_and_changes_nothing(built_db, lang):
    at = open_page("scenario", lang=lang, **EXAMPLE)
    before = figures(at)[0]["data"][0]["y"][0]
    typed = "7,5 **ou** [8](http://x.org)" if lang == "fr" else "7,5"  # 7,5 is no number in English
    _margin_field(at, lang).set_value(typed).run()
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert ("n'est pas un nombre" if lang == "fr" else "is not a number") in message
    assert message.startswith("Marge des opérateurs" if lang == "fr" else "ESS operators")
    # The reader's text shown as itself: its Markdown escaped, never bold nor a link.
    assert "**" not in message.replace("\\*", "") and "](http" not in message
    assert figures(at)[0]["data"][0]["y"][0] == before
    assert "_sc_margin" not in at.query_params
    # A number typed afterwards is taken and the message goes.
    _margin_field(at, lang).set_value("7,5" if lang == "fr" else "7.5").run()
    assert not at.error and url(at, "_sc_margin") == ["0.075"]


def test_a_negative_assumption_is_refused_with_its_bound(built_db):
    at = open_page("scenario", lang="fr", **EXAMPLE)
    _margin_field(at, "fr").set_value("-2").run()
    assert "au moins 0" in at.error[0].value
    assert "_sc_margin" not in at.query_params


def test_a_saved_scenario_is_compared_side_by_side_and_kept_in_the_url(built_db):
    at = open_page("scenario", lang="fr", **EXAMPLE)
    save = next(b for b in at.button if b.label == "Enregistrer ce scénario")
    save.click().run()
    assert not at.exception
    assert len(url(at, "_sc_saved")) == 1
    cards_a = {m.label: m.value for m in at.metric}
    at.text_input[0].set_value("Scénario B").run()
    domains = at.multiselect[2]
    domains.set_value(["canteen"]).run()
    cards_b = {m.label: m.value for m in at.metric}
    table = shown_tables(at)[-1]
    assert table.header == ["Résultat", "Scénario B", "Scénario A"]
    # Each column shows, formatted the same way, the central figures its scenario showed.
    for name, cards in (("Scénario A", cards_a), ("Scénario B", cards_b)):
        assert dict(zip(table.column("Résultat"), table.column(name), strict=True)) == cards
    assert table.column("Scénario A")[0].endswith("\xa0M€")
    # The narrower scope (canteen only) moves less market value than canteen and catering.
    assert table.column("Scénario B")[0] != table.column("Scénario A")[0]


def test_an_empty_scope_says_so(built_db):
    # an establishment where no for-profit operator holds a market in 2024: nothing to move
    establishment = sql_all(
        built_db,
        """SELECT e.establishment_id FROM establishment AS e
           WHERE NOT EXISTS (
               SELECT 1 FROM contract_revenue AS r JOIN contract AS c USING (contract_id)
               JOIN operator AS o USING (operator_id) JOIN operator_kind AS k USING (kind_id)
               JOIN contract_establishment AS ce USING (contract_id)
               WHERE ce.establishment_id = e.establishment_id AND r.year = 2024
                 AND k.kind_group = 'for_profit')
           ORDER BY 1 LIMIT 1""",
    )[0][0]
    at = open_page("scenario", lang="fr", _sc_year="2024", _sc_establishments=[establishment])
    assert any("ne déplace rien" in w.value for w in at.warning)
    picker = next(m for m in at.multiselect if m.value == [establishment])
    assert len(picker.options) == sql_all(built_db, "SELECT count(*) FROM establishment")[0][0]
    band = figures(at)[0]
    assert band["data"][0]["y"][0] <= 0


def test_an_opportunity_seeds_the_scope_with_its_establishments_and_domain(built_db):
    at = open_page("scenario", lang="en", _sc_year="2024")
    picker = next(m for m in at.multiselect if m.label == "Contracts to use as the scope")
    contract = picker.options[0]
    picker.set_value([contract]).run()
    next(b for b in at.button if b.label == "Use these establishments and domains").click().run()
    assert not at.exception
    expected = sql_all(
        built_db,
        """SELECT ce.establishment_id, c.domain_id FROM contract AS c
           JOIN contract_establishment AS ce USING (contract_id) WHERE c.contract_id = ?""",
        [contract],
    )
    assert sorted(url(at, "_sc_establishments")) == sorted({e for e, _ in expected})
    assert url(at, "_sc_domains") == sorted({d for _, d in expected})


def test_each_number_typed_in_turn_is_taken(built_db):
    """The field's key does not change with the value it sets: a second number typed right
    after the first is not dropped by the field starting again."""
    at = open_page("scenario", lang="fr", **EXAMPLE)
    for typed, stored in (("7,6", "0.076"), ("8,2", "0.082"), ("7,65 %", "0.0765")):
        _margin_field(at, "fr").set_value(typed).run()
        assert not at.error and url(at, "_sc_margin") == [stored], typed


def test_a_linked_value_is_shown_whole_and_a_share_above_100_is_refused(built_db):
    at = open_page("scenario", lang="fr", _sc_margin="0.0765", **EXAMPLE)
    assert _margin_field(at, "fr").value == "7,65"
    share = next(n for n in at.text_input if n.label.startswith("Part du résultat affectée à la"))
    share.set_value("250").run()
    assert "au plus 100,0" in at.error[0].value
    assert "_sc_reinsertion_share" not in at.query_params


def test_the_reset_starts_every_field_again(built_db):
    at = open_page("scenario", lang="fr", **EXAMPLE)
    observed = _margin_field(at, "fr").value
    _margin_field(at, "fr").set_value("7,6").run()
    family = next(n for n in at.text_input if n.label.startswith("Part du résultat affectée aux"))
    family.set_value("douze").run()
    assert at.error
    next(b for b in at.button if b.label == "Revenir aux valeurs observées").click().run()
    assert not at.error and _margin_field(at, "fr").value == observed
    assert "_sc_margin" not in at.query_params


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_link_naming_a_scope_the_data_lacks_says_so_and_keeps_the_rest(built_db, lang):
    """A DISP the data does not hold crashed the page (a multiselect default not in its
    options); a region, domain or establishment was dropped without a word."""
    at = open_page(
        "scenario",
        lang=lang,
        _sc_year="2024",
        _sc_disps=["FOO", "DISP LILLE"],
        _sc_domains=["canteen", "**bold**"],
    )
    assert not at.exception
    (warning,) = [w.value for w in at.warning if "disps=FOO" in w.value]
    assert "\\_sc\\_domains=\\*\\*bold\\*\\*" in warning  # shown as text, not markup
    assert url(at, "_sc_disps") == ["DISP LILLE"] and url(at, "_sc_domains") == ["canteen"]
    at.run()  # said once
    assert not [w for w in at.warning if "disps=FOO" in w.value]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_scenario_csv_carries_its_provenance_and_source_in_the_readers_words(built_db, lang):
    """The CSV had no provenance nor source, the years' headers were Python names
    ('reinsertion_eur') in the French file, and figures to sixteen digits."""
    import csv
    import io

    from maillon.exports import scenario_csv
    from maillon.figures import scenario, scenario_data
    from maillon.i18n import t

    settings = scenario.from_url(EXAMPLE, [2024], "s")
    scope = scenario_data.ScenarioScope(
        **{f: getattr(settings, f) for f in ("year", *scenario.LIST_FIELDS)}
    )
    figures_, _ = scenario_data.scope_figures(scope, {})
    band = scenario_data.band_from(scenario_data.observed_assumptions(settings.year))
    inputs = scenario_data.inputs_provenance(scope)
    results = scenario.results_table(figures_, band, settings, lang)
    years = scenario.years_table(figures_, band, settings, lang)
    text = scenario_csv.csv_file(results, years, inputs, lang).decode("utf-8")
    expected = scenario.sourced(inputs, lang)
    blocks = [list(csv.reader(io.StringIO(part))) for part in text.split("\n\n")]
    assert len(blocks) == 2
    for header, *rows in blocks:
        assert header[-2:] == [t(lang, "export.provenance"), t(lang, "export.source")]
        assert rows and all(row[-2:] == [expected["mark"], expected["source"]] for row in rows)
        decimals = [cell.partition(".")[2] for row in rows for cell in row if "." in cell]
        assert all(len(d) <= 2 for d in decimals if d.isdigit())
    years_header = blocks[1][0]
    assert "reinsertion_eur" not in years_header
    assert t(lang, "scenario.r_reinsertion_eur") in years_header


def test_the_scenario_says_the_sidebar_filters_do_not_apply_to_it(built_db):
    at = open_page("scenario", lang="fr", disp="DISP PARIS")
    words = "les filtres de la barre latérale ne s'appliquent pas"
    assert any(words in c.value for c in at.caption)
