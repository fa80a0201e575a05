-- title: Scénario : majoration cantine des titulaires lucratifs
-- title_en: Scenario: canteen markup of for-profit holders
-- description: La majoration des prix de cantine (prix / prix de référence − 1) dans les établissements du périmètre dont la cantine est tenue par un opérateur lucratif, sur les années choisies.
-- description_en: The canteen price markup (price / reference price − 1) in the establishments of the scope whose canteen is held by a for-profit operator, over the chosen years.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param establishments: text[] | Établissements (vide = tous) | Establishments (empty = all)
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
SELECT
    count(*) AS prices,
    sum(p.price_eur)::DOUBLE / nullif(sum(p.reference_price_eur), 0)::DOUBLE - 1 AS markup
FROM canteen_price AS p
JOIN establishment_scope() AS e USING (establishment_id)
JOIN contract_establishment AS ce USING (establishment_id)
JOIN contract AS c
    ON c.contract_id = ce.contract_id
    AND c.domain_id = 'canteen'
    AND p.valid_from BETWEEN c.start_date AND c.end_date
JOIN operator AS o ON o.operator_id = c.operator_id
JOIN operator_kind AS k USING (kind_id)
WHERE k.kind_group = 'for_profit'
  AND p.valid_from <= make_date($year_to, 12, 31)
  AND p.valid_to >= make_date($year_from, 1, 1)
  AND (len($establishments) = 0
       OR list_contains($establishments::VARCHAR[], p.establishment_id))
  AND in_scope(e.disp, e.region_code, e.departement_code, e.management_mode, e.type_code, 'canteen',
               o.kind_id,
               $disps, $regions, [], [], [], [], [])
