-- Rule: the part of a reallocation that names beneficiary associations is a part of a reallocation
-- that exists (same operator, year and destination), and the amounts named for one reallocation
-- never add up to more than its amount_eur.
WITH named AS (
    SELECT operator_id, year, destination_id, sum(amount_eur) AS amount_eur, min(_row) AS first_row
    FROM stage.reallocation_beneficiary
    GROUP BY ALL
)
SELECT 'reallocation_beneficiary' AS table_name, n.first_row AS row_number,
       CASE WHEN r.amount_eur IS NULL THEN 'destination_id' ELSE 'amount_eur' END AS column_name,
       CASE WHEN r.amount_eur IS NULL THEN n.destination_id ELSE n.amount_eur::VARCHAR END AS value,
       CASE WHEN r.amount_eur IS NULL THEN 'reallocation_beneficiary_within.no_reallocation'
            ELSE 'reallocation_beneficiary_within.exceeds' END AS problem,
       MAP {'operator': n.operator_id, 'year': n.year::VARCHAR,
            'destination': n.destination_id, 'amount': n.amount_eur::VARCHAR,
            'reallocated': coalesce(r.amount_eur::VARCHAR, '')} AS params
FROM named AS n
LEFT JOIN stage.reallocation AS r USING (operator_id, year, destination_id)
WHERE r.amount_eur IS NULL OR n.amount_eur > r.amount_eur
