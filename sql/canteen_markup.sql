-- Markets: canteen prices against the outside reference price, by the canteen holder's operator
-- kind (with its group: ESS, for-profit, public régie) and item category, plus the whole basket
-- of each kind (category 'basket'). The holder is the operator of the canteen contract covering
-- the establishment on the price's first day (valid_from; canteen contracts of one
-- establishment never overlap).
-- markup = sum(price) / sum(reference price) - 1 over the price rows in force during the years in
-- scope (an unweighted basket: one row per item, establishment and price period). Price rows with
-- no canteen contract in force are left out.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH holder AS (
    SELECT ce.establishment_id, c.start_date, c.end_date, o.kind_id
    FROM contract AS c
    JOIN contract_establishment AS ce USING (contract_id)
    JOIN operator AS o USING (operator_id)
    WHERE c.domain_id = 'canteen'
),
priced AS (
    SELECT
        p.item_id,
        p.price_eur::DOUBLE AS price_eur,
        p.reference_price_eur::DOUBLE AS reference_price_eur,
        h.kind_id
    FROM canteen_price AS p
    JOIN establishment_scope() AS e USING (establishment_id)
    JOIN holder AS h
        ON h.establishment_id = p.establishment_id
        AND p.valid_from BETWEEN h.start_date AND h.end_date
    WHERE p.valid_from <= make_date($year_to, 12, 31)
      AND p.valid_to >= make_date($year_from, 1, 1)
      AND in_scope(e.disp, e.region_code, e.departement_code, e.management_mode, e.type_code,
                   'canteen', h.kind_id,
                   $disps, $regions, $departements, $modes, $types, $domains, $kinds)
)
SELECT
    k.kind_id,
    k.label_fr,
    k.label_en,
    k.kind_group,
    k.color,
    k.sort_order,
    coalesce(i.category, 'basket') AS category,
    count(*) AS prices,
    sum(s.price_eur) AS price_eur,
    sum(s.reference_price_eur) AS reference_price_eur,
    sum(s.price_eur) / sum(s.reference_price_eur) - 1 AS markup
FROM priced AS s
JOIN operator_kind AS k USING (kind_id)
JOIN canteen_item AS i USING (item_id)
GROUP BY GROUPING SETS (
    (k.kind_id, k.label_fr, k.label_en, k.kind_group, k.color, k.sort_order, i.category),
    (k.kind_id, k.label_fr, k.label_en, k.kind_group, k.color, k.sort_order)
)
ORDER BY k.sort_order, category
