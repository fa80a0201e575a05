-- title: Scénario : établissements et domaines de marchés choisis
-- title_en: Scenario: establishments and domains of chosen contracts
-- description: Les établissements couverts par les marchés choisis et leur domaine : ce qui devient le périmètre d'un scénario quand on part d'opportunités.
-- description_en: The establishments covered by the chosen contracts and their domain: what becomes a scenario's scope when it starts from opportunities.
-- param contracts: text[] | Marchés | Contracts
SELECT DISTINCT ce.establishment_id, c.domain_id
FROM contract AS c
JOIN contract_establishment AS ce USING (contract_id)
WHERE list_contains($contracts::VARCHAR[], c.contract_id)
ORDER BY ce.establishment_id, c.domain_id
