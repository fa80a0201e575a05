"""Import problems in French. Validation words every problem in English (the build's log, the
command line, the tests); the admin page shows them in the reader's language through this table
of patterns. A problem with no pattern stays in English: tests/test_problem_words.py fails then.
"""

from __future__ import annotations

import re

from maillon.database.validate import Problem

V = r"(?P<{}>.+?)"  # one variable part


def _p(english: str) -> re.Pattern:
    """An English message with {name} holes as a full-match pattern."""
    parts = re.split(r"\{(\w+)\}", english)
    pattern = "".join(V.format(part) if i % 2 else re.escape(part) for i, part in enumerate(parts))
    return re.compile(pattern, re.S)


FRENCH = [
    (_p(en), fr)
    for en, fr in [
        # columns and values (maillon.database.validate)
        ("required column is missing", "colonne obligatoire absente"),
        (
            "add a column named {c} to the header row; expected columns: {cols}",
            "ajoutez une colonne {c} à la ligne d'en-tête ; colonnes attendues : {cols}",
        ),
        ("unknown column", "colonne inconnue"),
        (
            "remove this column or correct its name; expected columns: {cols}",
            "supprimez cette colonne ou corrigez son nom ; colonnes attendues : {cols}",
        ),
        ("is required but empty", "valeur obligatoire manquante"),
        ("fill in a value", "remplissez la case"),
        (
            "is not a number with at most {n} decimals, or is too large",
            "n'est pas un nombre à {n} décimales au plus, ou est trop grand",
        ),
        ("is not a number, or is too large", "n'est pas un nombre, ou est trop grand"),
        (
            "write digits with a dot for decimals, without spaces, thousands separators or "
            "currency sign, e.g. 1234.50",
            "écrivez des chiffres avec un point pour les décimales, sans espace, séparateur de "
            "milliers ni symbole monétaire, par exemple 1234.50",
        ),
        (
            "is not a whole number, or is too large",
            "n'est pas un nombre entier, ou est trop grand",
        ),
        (
            "write digits only, without decimals, spaces or separators, e.g. 2025",
            "écrivez seulement des chiffres, sans décimale, espace ni séparateur, par exemple 2025",
        ),
        ("is not a date in the form YYYY-MM-DD", "n'est pas une date au format AAAA-MM-JJ"),
        (
            "write it as YYYY-MM-DD, e.g. 2025-01-31",
            "écrivez-la AAAA-MM-JJ, par exemple 2025-01-31",
        ),
        ("is not true or false", "n'est ni true ni false"),
        ("write true or false", "écrivez true (vrai) ou false (faux)"),
        ("is not a valid {t}", "n'est pas une valeur {t} valide"),
        ("correct the value", "corrigez la valeur"),
        ("must be one of: {v}", "doit être l'une des valeurs : {v}"),
        (
            "use one of the listed values, spelt exactly",
            "utilisez l'une des valeurs de la liste, écrite à l'identique",
        ),
        ("must not be negative", "ne doit pas être négatif"),
        ("enter zero or a positive value", "saisissez zéro ou une valeur positive"),
        ("breaks the rule {r}", "enfreint la règle {r}"),
        ("correct the row so that {r}", "corrigez la ligne pour que {r}"),
        ("costs are greater than revenue", "les coûts dépassent le chiffre d'affaires"),
        (
            "check both amounts: costs_eur cannot exceed revenue_eur",
            "vérifiez les deux montants : costs_eur ne peut pas dépasser revenue_eur",
        ),
        (
            "detainees' wages are greater than the costs that include them",
            "les salaires des détenus dépassent les coûts qui les incluent",
        ),
        (
            "check both amounts: detainee_wages_eur is part of costs_eur",
            "vérifiez les deux montants : detainee_wages_eur fait partie de costs_eur",
        ),
        (
            "result is not revenue minus costs",
            "le résultat n'est pas le chiffre d'affaires moins les coûts",
        ),
        (
            "set result_eur to revenue_eur - costs_eur",
            "mettez result_eur = revenue_eur - costs_eur",
        ),
        ("a share must be between 0 and 1", "une part doit être comprise entre 0 et 1"),
        (
            "write a share as a fraction: 0.25 for 25 %",
            "écrivez une part en fraction : 0.25 pour 25 %",
        ),
        ("ends before it starts", "se termine avant de commencer"),
        (
            "check the dates: {end} must be on or after {start}",
            "vérifiez les dates : {end} doit être égale ou postérieure à {start}",
        ),
        (
            "duplicate: the same key appears on an earlier row",
            "doublon : la même clé figure sur une ligne précédente",
        ),
        (
            "keep one row per key, or correct the key",
            "gardez une seule ligne par clé, ou corrigez la clé",
        ),
        (
            "duplicate: the same {cols} appears on an earlier row",
            "doublon : la même combinaison {cols} figure sur une ligne précédente",
        ),
        (
            "keep one row for each combination of these columns",
            "gardez une seule ligne par combinaison de ces colonnes",
        ),
        (
            "unknown {col}: no such row in {table}",
            "{col} inconnu : aucune ligne correspondante dans {table}",
        ),
        (
            "correct the identifier, or add the row to {table} in the same import",
            "corrigez l'identifiant, ou ajoutez la ligne à {table} dans le même import",
        ),
        (
            "the current data cannot be carried over: {e}",
            "les données en service ne peuvent pas être reprises : {e}",
        ),
        (
            "import the whole table {t} with this import",
            "importez toute la table {t} avec cet import",
        ),
        # files (maillon.admin.uploads)
        ("no file was given", "aucun fichier n'a été donné"),
        ("choose files", "choisissez des fichiers"),
        (
            "table {t} is given twice (also in {f})",
            "la table {t} est donnée deux fois (aussi dans {f})",
        ),
        ("give each table in one file only", "donnez chaque table dans un seul fichier"),
        ("is not a file type Maillon reads", "n'est pas un type de fichier que Maillon lit"),
        (
            "upload .csv or .xlsx files named after their table, or a backup .zip",
            "envoyez des fichiers .csv ou .xlsx nommés d'après leur table, ou une sauvegarde .zip",
        ),
        ("the file is empty", "le fichier est vide"),
        (
            "choose the file that holds the data",
            "choisissez le fichier qui contient les données",
        ),
        ("the name {n} is not a table of Maillon", "le nom {n} n'est pas une table de Maillon"),
        (
            "name the file after its table, e.g. contract.csv (the list is in the import formats)",
            "nommez le fichier d'après sa table, par exemple contract.csv (liste dans les formats "
            "d'import)",
        ),
        ("is UTF-16 text, not UTF-8", "est un texte UTF-16, pas UTF-8"),
        (
            "save the file as “CSV UTF-8 (comma delimited)” from Excel or LibreOffice",
            "enregistrez le fichier en « CSV UTF-8 (délimité par des virgules) » depuis Excel ou "
            "LibreOffice",
        ),
        (
            "is not a text file (it holds binary data)",
            "n'est pas un fichier texte (il contient des données binaires)",
        ),
        (
            "is not UTF-8 text (byte {b} on line {l})",
            "n'est pas un texte UTF-8 (octet {b} à la ligne {l})",
        ),
        ("has no header row", "n'a pas de ligne d'en-tête"),
        (
            "put the column names on the first line",
            "mettez les noms des colonnes sur la première ligne",
        ),
        (
            "has {n} values but the header has {m} columns",
            "a {n} valeurs mais l'en-tête a {m} colonnes",
        ),
        (
            "check for a missing or extra {d}; a value that contains {d2} must be in double quotes",
            "cherchez un {d} manquant ou en trop ; une valeur qui contient {d2} doit être entre "
            "guillemets droits",
        ),
        ("cannot be read as CSV: {e}", "ne peut pas être lu comme CSV : {e}"),
        (
            "check the double quotes on this line: a quoted value must end with a quote",
            "vérifiez les guillemets de cette ligne : une valeur entre guillemets doit se fermer",
        ),
        ("a column has no name", "une colonne n'a pas de nom"),
        ("name every column of the header", "nommez toutes les colonnes de l'en-tête"),
        ("the column appears twice", "la colonne figure deux fois"),
        ("keep one column of this name", "gardez une seule colonne de ce nom"),
        ("is not a readable XLSX workbook ({e})", "n'est pas un classeur XLSX lisible ({e})"),
        (
            "open it in Excel or LibreOffice and save it again as .xlsx",
            "ouvrez-le dans Excel ou LibreOffice et enregistrez-le à nouveau en .xlsx",
        ),
        (
            "the sheet {s} is not named after a table",
            "la feuille {s} ne porte pas le nom d'une table",
        ),
        (
            "rename the sheet after its table, e.g. contract",
            "renommez la feuille d'après sa table, par exemple contract",
        ),
        ("the sheet cannot be read ({e})", "la feuille ne peut pas être lue ({e})"),
        ("the sheet is empty", "la feuille est vide"),
        ("put the header on row 1", "mettez l'en-tête en ligne 1"),
        ("is not a readable Parquet file ({e})", "n'est pas un fichier Parquet lisible ({e})"),
        (
            "use a table file from a Maillon backup zip",
            "utilisez un fichier de table d'une sauvegarde zip de Maillon",
        ),
        ("is not a readable zip file ({e})", "n'est pas un fichier zip lisible ({e})"),
        ("use a backup zip made by Maillon", "utilisez une sauvegarde zip faite par Maillon"),
        (
            "is {size} MB, over the {cap} MB a file may have",
            "pèse {size} Mo, plus que les {cap} Mo permis pour un fichier",
        ),
        (
            "split the table into several imports, or import a backup zip",
            "répartissez la table sur plusieurs imports, ou importez une sauvegarde zip",
        ),
        ("would inflate to more than {cap} MB", "dépasserait {cap} Mo une fois décompressé"),
        ("is not part of a Maillon backup", "ne fait pas partie d'une sauvegarde Maillon"),
        (
            "use the zip as downloaded, without adding files",
            "utilisez le zip tel que téléchargé, sans y ajouter de fichier",
        ),
        ("cannot be extracted ({e})", "ne peut pas être extrait ({e})"),
        ("download it again", "téléchargez-le à nouveau"),
        ("holds no table", "ne contient aucune table"),
        # business rules (sql/checks/*.sql)
        (
            "period overlaps the one starting {d} for {i} at {e}",
            "la période chevauche celle qui commence le {d} pour {i} à {e}",
        ),
        (
            "canteen revenue at {e} in {y} differs from its canteen sales ({s})",
            "le chiffre d'affaires de cantine à {e} en {y} diffère de ses ventes de cantine ({s})",
        ),
        (
            "overlaps {c} at {e} for domain {d} ({a} to {b} against {x} to {z})",
            "chevauche {c} à {e} pour le domaine {d} (du {a} au {b} contre du {x} au {z})",
        ),
        (
            "grouping {g} has {l} lead(s) and {m} member(s); it needs exactly one lead and at "
            "least two members",
            "le groupement {g} a {l} mandataire(s) et {m} membre(s) ; il lui faut exactement un "
            "mandataire et au moins deux membres",
        ),
        (
            "grouping {g} has no members in grouping_member",
            "le groupement {g} n'a aucun membre dans grouping_member",
        ),
        (
            "operator {o} is not a grouping (is_grouping is false)",
            "l'opérateur {o} n'est pas un groupement (is_grouping vaut false)",
        ),
        ("member {m} is itself a grouping", "le membre {m} est lui-même un groupement"),
        (
            "differs from the sum of contract_revenue for {o} in {y} ({s})",
            "diffère de la somme de contract_revenue pour {o} en {y} ({s})",
        ),
        (
            "operator {o} has contract revenue in {y} but no row in operator_result",
            "l'opérateur {o} a du chiffre d'affaires de contrats en {y} mais aucune ligne dans "
            "operator_result",
        ),
        (
            "a signed convention needs its signature and renewal dates",
            "une convention signée doit avoir ses dates de signature et de renouvellement",
        ),
        (
            "dates given for a partnership without a convention",
            "dates données pour un partenariat sans convention",
        ),
        (
            "renewal on or before the signature {d}",
            "renouvellement le jour de la signature ({d}) ou avant",
        ),
        (
            "reallocations of {o} in {y} add up to {a} but its result is {r}",
            "les affectations de {o} en {y} totalisent {a} mais son résultat est {r}",
        ),
        (
            "result of {o} in {y} has no reallocation rows",
            "le résultat de {o} en {y} n'a aucune ligne d'affectation",
        ),
        (
            "establishment is not covered by contract {c}",
            "l'établissement n'est pas couvert par le contrat {c}",
        ),
        (
            "year is outside the period of contract {c} ({a} to {b})",
            "l'année est hors de la période du contrat {c} (du {a} au {b})",
        ),
        (
            "differs from the wages_paid outcomes of {o} in {y} ({s})",
            "diffère des résultats wages_paid de {o} en {y} ({s})",
        ),
        (
            "end the earlier price period (valid_to) the day before the next one starts "
            "(valid_from).",
            "terminez la période de prix précédente (valid_to) la veille du début de la suivante "
            "(valid_from).",
        ),
        (
            "make the canteen contract's revenue (contract_revenue) equal the sum of canteen_sale "
            "amounts for that establishment and year, or correct the sales.",
            "rendez le chiffre d'affaires du contrat de cantine (contract_revenue) égal à la somme "
            "des montants de canteen_sale pour cet établissement et cette année, ou corrigez les "
            "ventes.",
        ),
        (
            "end the earlier contract before the later one starts, or remove the establishment "
            "from one of the two contracts (contract_establishment).",
            "terminez le premier contrat avant le début du second, ou retirez l'établissement de "
            "l'un des deux contrats (contract_establishment).",
        ),
        (
            "list each grouping's members in grouping_member: one lead, at least two members, "
            "none of them a grouping.",
            "listez les membres de chaque groupement dans grouping_member : un mandataire, au "
            "moins deux membres, aucun n'étant un groupement.",
        ),
        (
            "make revenue_eur in operator_result equal the sum of the operator's contract_revenue "
            "rows for that year, or correct the contract revenue.",
            "rendez revenue_eur de operator_result égal à la somme des lignes contract_revenue de "
            "l'opérateur cette année-là, ou corrigez le chiffre d'affaires des contrats.",
        ),
        (
            "fill convention_signed_on and convention_renewal_on only when has_convention is "
            "true, with the renewal after the signature.",
            "remplissez convention_signed_on et convention_renewal_on seulement si has_convention "
            "vaut true, avec un renouvellement après la signature.",
        ),
        (
            "correct the reallocation amounts of that operator and year so that they add up to "
            "result_eur in operator_result (include reserves, members and dividends).",
            "corrigez les montants affectés de cet opérateur et de cette année pour qu'ils "
            "totalisent result_eur de operator_result (réserves, membres et dividendes compris).",
        ),
        (
            "attach the revenue to an establishment listed for the contract "
            "(contract_establishment) and to a year within the contract's start and end dates.",
            "rattachez le chiffre d'affaires à un établissement du contrat "
            "(contract_establishment) et à une année comprise dans la période du contrat.",
        ),
        (
            "make detainee_wages_eur in operator_result equal the operator's wages_paid outcome "
            "for that year (outcome table).",
            "rendez detainee_wages_eur de operator_result égal au résultat wages_paid de "
            "l'opérateur cette année-là (table outcome).",
        ),
    ]
]


def in_french(text: str) -> str:
    """The French wording of one problem or fix text (unchanged if no pattern matches)."""
    for pattern, french in FRENCH:
        match = pattern.fullmatch(text)
        if match:
            return french.format(**match.groupdict())
    return text


def translated(problem: Problem, lang: str) -> Problem:
    if lang != "fr":
        return problem
    file = "(données en service)" if problem.file == "(current data)" else problem.file
    return Problem(
        file,
        problem.row,
        problem.column,
        problem.value,
        in_french(problem.problem),
        in_french(problem.fix),
    )
