-- Canteen sales by item for the filtered scope: quantity and amount per item over the years in
-- scope (canteen_sale_monthly).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types.
-- The canteen is one service domain and its sales have no operator kind, so $domains and $kinds do
-- not apply here; the five establishment filters are spelled out as in the in_scope macro.
WITH by_item AS (
    SELECT item_id, sum(quantity)::BIGINT AS quantity, sum(amount_eur)::DOUBLE AS amount_eur
    FROM canteen_sale_monthly
    WHERE month >= make_date($year_from, 1, 1) AND month < make_date($year_to + 1, 1, 1)
      AND (len($disps) = 0 OR list_contains($disps::VARCHAR[], disp))
      AND (len($regions) = 0 OR list_contains($regions::VARCHAR[], region_code))
      AND (len($departements) = 0 OR list_contains($departements::VARCHAR[], departement_code))
      AND (len($modes) = 0 OR list_contains($modes::VARCHAR[], management_mode))
      AND (len($types) = 0 OR list_contains($types::VARCHAR[], type_code))
    GROUP BY item_id
)
SELECT b.item_id, i.label_fr, i.label_en, i.category, b.quantity, b.amount_eur
FROM by_item AS b
JOIN canteen_item AS i USING (item_id)
ORDER BY b.amount_eur DESC, b.item_id
