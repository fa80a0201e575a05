-- Rule: two contracts of the same service domain never cover the same establishment over
-- overlapping periods.
-- Fix: end the earlier contract before the later one starts, or remove the establishment
-- from one of the two contracts (contract_establishment).
SELECT
    'contract_establishment' AS table_name,
    b._row AS row_number,
    'contract_id' AS column_name,
    b.contract_id AS value,
    'overlaps ' || a.contract_id || ' at ' || b.establishment_id || ' for domain ' || ca.domain_id
        || ' (' || ca.start_date || ' to ' || ca.end_date || ' against '
        || cb.start_date || ' to ' || cb.end_date || ')' AS problem
FROM stage.contract_establishment AS a
JOIN stage.contract_establishment AS b
    ON a.establishment_id = b.establishment_id AND a.contract_id < b.contract_id
JOIN stage.contract AS ca ON ca.contract_id = a.contract_id
JOIN stage.contract AS cb ON cb.contract_id = b.contract_id
WHERE ca.domain_id = cb.domain_id
  AND ca.start_date <= cb.end_date
  AND cb.start_date <= ca.end_date
