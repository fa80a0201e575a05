-- Establishment view: the markets of one establishment over the years in scope, one row per
-- domain and holder: domain, holder,
-- kind, revenue earned there from every payer (the holders' revenue; the public régie's cost is
-- no holder's revenue and is left out, as everywhere), and the holder's result attributed to it
-- that went to reinsertion and family support (reallocation_by_market), and the parts of the
-- revenue that are illustrative and modeled (the establishment is real; the demo's markets are
-- not).
-- Parameters: $establishment_id, $year_from, $year_to.
WITH revenue AS (
    SELECT operator_id, domain_id, kind_id, sum(revenue_eur)::DOUBLE AS revenue_eur,
           min(year) AS first_year, max(year) AS last_year,
           coalesce(sum(revenue_eur) FILTER (provenance = 'illustrative'), 0)::DOUBLE
               AS illustrative_eur,
           coalesce(sum(revenue_eur) FILTER (provenance = 'modeled'), 0)::DOUBLE AS modeled_eur
    FROM market_revenue
    WHERE establishment_id = $establishment_id AND year BETWEEN $year_from AND $year_to
      AND payer_group_id <> 'regie'
    GROUP BY ALL
),
returned AS (
    SELECT operator_id, domain_id, sum(amount_eur) FILTER (is_returned) AS returned_eur
    FROM reallocation_by_market
    WHERE establishment_id = $establishment_id AND year BETWEEN $year_from AND $year_to
    GROUP BY ALL
)
SELECT
    d.label_fr AS domain_fr,
    d.label_en AS domain_en,
    o.name AS operator_name,
    k.label_fr AS kind_fr,
    k.label_en AS kind_en,
    r.first_year,
    r.last_year,
    r.revenue_eur,
    coalesce(t.returned_eur, 0) AS returned_eur,
    r.illustrative_eur / nullif(r.revenue_eur, 0) AS illustrative_share,
    r.modeled_eur / nullif(r.revenue_eur, 0) AS modeled_share
FROM revenue AS r
JOIN service_domain AS d USING (domain_id)
JOIN operator AS o USING (operator_id)
JOIN operator_kind AS k ON k.kind_id = r.kind_id
LEFT JOIN returned AS t USING (operator_id, domain_id)
ORDER BY d.sort_order, r.first_year
