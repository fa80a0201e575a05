-- Rule: two contracts of the same service domain never cover the same establishment over
-- overlapping periods.
SELECT
    'contract_establishment' AS table_name,
    b._row AS row_number,
    'contract_id' AS column_name,
    b.contract_id AS value,
    'contract_overlap.overlap' AS problem,
    MAP {'other': a.contract_id, 'establishment': b.establishment_id, 'domain': ca.domain_id,
         'other_start': ca.start_date::VARCHAR, 'other_end': ca.end_date::VARCHAR,
         'start': cb.start_date::VARCHAR, 'end': cb.end_date::VARCHAR} AS params
FROM stage.contract_establishment AS a
JOIN stage.contract_establishment AS b
    ON a.establishment_id = b.establishment_id AND a.contract_id < b.contract_id
JOIN stage.contract AS ca ON ca.contract_id = a.contract_id
JOIN stage.contract AS cb ON cb.contract_id = b.contract_id
WHERE ca.domain_id = cb.domain_id
  AND ca.start_date <= cb.end_date
  AND cb.start_date <= ca.end_date
