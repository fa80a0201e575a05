-- Establishment view: what the markets of one establishment produced, per indicator: the value
-- in the last year of the period and the total over the period (only meaningful for indicators
-- that are not headcounts), and the parts of its rows that are illustrative and modeled.
-- Parameters: $establishment_id, $year_from, $year_to.
WITH by_year AS (
    SELECT indicator_id, year, sum(value) AS value,
           count(*) FILTER (provenance = 'illustrative') AS illustrative_rows,
           count(*) FILTER (provenance = 'modeled') AS modeled_rows, count(*) AS rows
    FROM outcome_fact
    WHERE establishment_id = $establishment_id AND year BETWEEN $year_from AND $year_to
    GROUP BY ALL
),
last_year AS (
    SELECT max(year) AS year FROM by_year
)
SELECT
    i.indicator_id,
    i.label_fr,
    i.label_en,
    i.unit,
    i.is_headcount,
    (SELECT year FROM last_year) AS last_year,
    coalesce(sum(b.value) FILTER (b.year = (SELECT year FROM last_year)), 0) AS last_year_value,
    sum(b.value) AS period_value,
    sum(b.illustrative_rows) / sum(b.rows) AS illustrative_share,
    sum(b.modeled_rows) / sum(b.rows) AS modeled_share
FROM by_year AS b
JOIN indicator AS i USING (indicator_id)
GROUP BY ALL
ORDER BY any_value(i.sort_order)
