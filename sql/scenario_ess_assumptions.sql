-- title: Scénario : hypothèses observées chez les opérateurs ESS
-- title_en: Scenario: assumptions observed across ESS operators
-- description: Pour chaque opérateur de l'ESS et chaque hypothèse du simulateur, la valeur observée sur les années choisies (marge = résultat / chiffre d'affaires, part du résultat à la réinsertion et aux familles, résultats obtenus par euro reversé, majoration des prix de cantine), avec les percentiles p10, p50 et p90 de l'hypothèse entre opérateurs.
-- description_en: For each social-economy operator and each assumption of the simulator, the value observed over the chosen years (margin = result / revenue, share of the result to reinsertion and to families, outcomes per euro returned, canteen price markup), with the assumption's p10, p50 and p90 across operators.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- One value per ESS operator (sums over the years), and each assumption's percentiles across
-- operators: the simulator's band applies each operator's own set of values, so a high margin
-- and a high share are combined only where one operator has both.
WITH ess AS (
    SELECT o.operator_id
    FROM operator AS o JOIN operator_kind AS k USING (kind_id)
    WHERE k.kind_group = 'ess'
),
accounts AS (
    SELECT operator_id, sum(revenue_eur)::DOUBLE AS revenue, sum(result_eur)::DOUBLE AS result
    FROM operator_result JOIN ess USING (operator_id)
    WHERE year BETWEEN $year_from AND $year_to
    GROUP BY operator_id
),
returned AS (
    SELECT
        a.operator_id,
        sum(a.amount_eur) FILTER (WHERE d.category_id = 'reinsertion')::DOUBLE AS reinsertion,
        sum(a.amount_eur) FILTER (WHERE d.category_id = 'family')::DOUBLE AS family
    FROM reallocation AS a
    JOIN destination AS d USING (destination_id)
    JOIN ess USING (operator_id)
    WHERE a.year BETWEEN $year_from AND $year_to
    GROUP BY a.operator_id
),
produced AS (
    SELECT
        operator_id,
        sum(value) FILTER (WHERE indicator_id = 'certificates') AS certificates,
        sum(value) FILTER (WHERE indicator_id = 'people_accompanied_release') AS accompanied,
        -- Families received by a family-reception market are that market's own service, which
        -- moves with it whoever holds it: only the families helped beyond it count per euro.
        sum(value) FILTER (
            WHERE indicator_id = 'families_supported' AND domain_id <> 'family_reception'
        ) AS families
    FROM outcome JOIN ess USING (operator_id)
    WHERE year BETWEEN $year_from AND $year_to
    GROUP BY operator_id
),
canteen AS (
    SELECT
        c.operator_id,
        sum(p.price_eur)::DOUBLE / sum(p.reference_price_eur)::DOUBLE - 1 AS markup
    FROM canteen_price AS p
    JOIN contract_establishment AS ce USING (establishment_id)
    JOIN contract AS c
        ON c.contract_id = ce.contract_id
        AND c.domain_id = 'canteen'
        AND p.valid_from BETWEEN c.start_date AND c.end_date
    JOIN ess ON ess.operator_id = c.operator_id
    WHERE p.valid_from <= make_date($year_to, 12, 31)
      AND p.valid_to >= make_date($year_from, 1, 1)
    GROUP BY c.operator_id
),
per_operator AS (
    SELECT
        operator_id, 'margin' AS assumption, result / revenue AS value
    FROM accounts WHERE revenue > 0
    UNION ALL
    SELECT operator_id, 'reinsertion_share', coalesce(r.reinsertion, 0) / a.result
    FROM accounts AS a LEFT JOIN returned AS r USING (operator_id) WHERE a.result > 0
    UNION ALL
    SELECT operator_id, 'family_share', coalesce(r.family, 0) / a.result
    FROM accounts AS a LEFT JOIN returned AS r USING (operator_id) WHERE a.result > 0
    UNION ALL
    SELECT operator_id, 'certificates_per_eur', coalesce(p.certificates, 0) / r.reinsertion
    FROM returned AS r LEFT JOIN produced AS p USING (operator_id) WHERE r.reinsertion > 0
    UNION ALL
    SELECT operator_id, 'accompanied_per_eur', coalesce(p.accompanied, 0) / r.reinsertion
    FROM returned AS r LEFT JOIN produced AS p USING (operator_id) WHERE r.reinsertion > 0
    UNION ALL
    SELECT operator_id, 'families_per_eur', coalesce(p.families, 0) / r.family
    FROM returned AS r LEFT JOIN produced AS p USING (operator_id) WHERE r.family > 0
    UNION ALL
    SELECT operator_id, 'ess_canteen_markup', markup FROM canteen
)
SELECT
    operator_id,
    assumption,
    value,
    count(*) OVER across AS operators,
    quantile_cont(value, 0.1) OVER across AS p10,
    quantile_cont(value, 0.5) OVER across AS p50,
    quantile_cont(value, 0.9) OVER across AS p90
FROM per_operator
WINDOW across AS (PARTITION BY assumption)
ORDER BY assumption, operator_id
