-- title: Scénario : types d'opérateur et leur groupe
-- title_en: Scenario: operator kinds and their group
-- description: Les types d'opérateur avec leur groupe (ESS, lucratif, gestion publique (régie)) et leur couleur : le simulateur déplace les marchés du groupe lucratif vers l'ESS.
-- description_en: The operator kinds with their group (ESS, for-profit, public régie) and colour: the simulator moves the for-profit group's markets to the ESS.
SELECT kind_id, kind_group, color FROM operator_kind ORDER BY sort_order
