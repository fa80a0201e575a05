-- title: Scénario : établissements et domaines de marchés choisis
-- title_en: Scenario: establishments and domains of chosen contracts
-- description: Les établissements couverts par les marchés choisis et leur domaine : ce qui devient le périmètre d'un scénario quand on part d'opportunités.
-- description_en: The establishments covered by the chosen contracts and their domain: what becomes a scenario's scope when it starts from opportunities.
-- param contracts: text[] | Marchés | Contracts
-- A published contract (DECP) gives its located establishments; a multiservice one no domain.
WITH chosen AS (
    SELECT ce.establishment_id, c.domain_id
    FROM contract AS c
    JOIN contract_establishment AS ce USING (contract_id)
    WHERE list_contains($contracts::VARCHAR[], c.contract_id)
    UNION
    SELECT pe.establishment_id, p.domain_id
    FROM procurement_contract AS p
    JOIN procurement_establishment AS pe USING (procurement_id)
    WHERE list_contains($contracts::VARCHAR[], p.procurement_id)
)
SELECT DISTINCT establishment_id, domain_id
FROM chosen
WHERE domain_id IS NOT NULL
ORDER BY establishment_id, domain_id
