-- Maillon data model. One table per entity; every fact row names its source and provenance.
-- Money is in euros (EUR, nominal). Years are calendar years. Months are the first day of the month.
-- Loaded by maillon.build from data/taxonomy, data/reference and data/demo (or your own files).
-- Every table and column carries a COMMENT: tests/test_schema.py fails when one is missing.

-- ---------------------------------------------------------------- sources and taxonomies

CREATE TABLE source (
    source_id    VARCHAR PRIMARY KEY,
    title        VARCHAR NOT NULL,
    publisher    VARCHAR NOT NULL,
    title_en     VARCHAR,
    publisher_en VARCHAR,
    url          VARCHAR,
    licence      VARCHAR NOT NULL,
    licence_en   VARCHAR,
    provenance   VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    data_date    VARCHAR,
    note         VARCHAR
);
COMMENT ON TABLE source IS 'Where each fact comes from. Every fact table has a source_id pointing here.';
COMMENT ON COLUMN source.source_id IS 'Identifier of the source (snake_case).';
COMMENT ON COLUMN source.title IS 'Title of the dataset or document.';
COMMENT ON COLUMN source.publisher IS 'Who publishes it (organisation or repository).';
COMMENT ON COLUMN source.title_en IS 'The title in English, where Maillon wrote the title itself (its demo and models, its descriptions of files); empty for a title as its publisher gave it, which is cited as published in every language.';
COMMENT ON COLUMN source.publisher_en IS 'The publisher in English, where Maillon wrote that text itself; empty for a publisher named as it names itself.';
COMMENT ON COLUMN source.url IS 'Where to find it, if public.';
COMMENT ON COLUMN source.licence IS 'Licence under which Maillon uses it.';
COMMENT ON COLUMN source.licence_en IS 'The licence in English, where Maillon described it in French; empty for a licence named the same in both languages (CC-BY-4.0).';
COMMENT ON COLUMN source.provenance IS 'Nature of the figures: real (published), modeled (estimated from real data by a stated method) or illustrative (invented for the demo).';
COMMENT ON COLUMN source.data_date IS 'Date or period the figures describe, as published (free text).';
COMMENT ON COLUMN source.note IS 'Caveats and method, in one or two sentences.';

CREATE TABLE establishment_type (
    type_code     VARCHAR PRIMARY KEY,
    label_fr      VARCHAR NOT NULL,
    label_en      VARCHAR NOT NULL,
    is_sentenced  BOOLEAN NOT NULL,
    sort_order    INTEGER NOT NULL
);
COMMENT ON TABLE establishment_type IS 'Kinds of prison establishment (taxonomy, from the ministry label prefix).';
COMMENT ON COLUMN establishment_type.type_code IS 'Code: MA, CP, CD, MC, CSL, EPM.';
COMMENT ON COLUMN establishment_type.label_fr IS 'Name in French.';
COMMENT ON COLUMN establishment_type.label_en IS 'Name in English.';
COMMENT ON COLUMN establishment_type.is_sentenced IS 'True for establishments that hold mainly sentenced people (CD, MC); false for remand prisons and mixed ones.';
COMMENT ON COLUMN establishment_type.sort_order IS 'Display order.';

CREATE TABLE service_domain (
    domain_id       VARCHAR PRIMARY KEY,
    label_fr        VARCHAR NOT NULL,
    label_en        VARCHAR NOT NULL,
    description_fr  VARCHAR NOT NULL,
    description_en  VARCHAR NOT NULL,
    sort_order      INTEGER NOT NULL
);
COMMENT ON TABLE service_domain IS 'Service domains bought through prison markets (taxonomy held in data/taxonomy/service_domain.csv).';
COMMENT ON COLUMN service_domain.domain_id IS 'Identifier, e.g. canteen, catering, maintenance.';
COMMENT ON COLUMN service_domain.label_fr IS 'Name in French.';
COMMENT ON COLUMN service_domain.label_en IS 'Name in English.';
COMMENT ON COLUMN service_domain.description_fr IS 'What the domain covers, in French.';
COMMENT ON COLUMN service_domain.description_en IS 'What the domain covers, in English.';
COMMENT ON COLUMN service_domain.sort_order IS 'Display order.';

CREATE TABLE operator_kind (
    kind_id     VARCHAR PRIMARY KEY,
    label_fr    VARCHAR NOT NULL,
    label_en    VARCHAR NOT NULL,
    is_ess      BOOLEAN NOT NULL,
    kind_group  VARCHAR NOT NULL CHECK (kind_group IN ('ess', 'for_profit', 'public', 'unknown')),
    color       VARCHAR NOT NULL,
    sort_order  INTEGER NOT NULL
);
COMMENT ON TABLE operator_kind IS 'Legal kinds of operator (taxonomy). The colour is used for the kind on every chart and export.';
COMMENT ON COLUMN operator_kind.kind_id IS 'Identifier: scop, scic, association, mutual, siae, for_profit, public_regie, unknown (kind not known yet: shown apart, never counted as ESS or for-profit).';
COMMENT ON COLUMN operator_kind.label_fr IS 'Name in French.';
COMMENT ON COLUMN operator_kind.label_en IS 'Name in English.';
COMMENT ON COLUMN operator_kind.is_ess IS 'True if the kind belongs to the social and solidarity economy (ESS, loi du 31 juillet 2014).';
COMMENT ON COLUMN operator_kind.kind_group IS 'Coarse group: ess, for_profit, public or unknown.';
COMMENT ON COLUMN operator_kind.color IS 'Chart colour, hex #RRGGBB (Okabe-Ito, colour-blind safe).';
COMMENT ON COLUMN operator_kind.sort_order IS 'Display order (ESS kinds first).';

CREATE TABLE payer_group (
    payer_group_id  VARCHAR PRIMARY KEY,
    label_fr        VARCHAR NOT NULL,
    label_en        VARCHAR NOT NULL,
    description_fr  VARCHAR NOT NULL,
    description_en  VARCHAR NOT NULL,
    sort_order      INTEGER NOT NULL
);
COMMENT ON TABLE payer_group IS 'Kinds of money behind a contract''s revenue (taxonomy): what the prison administration pays (the market value) and, never added to it, canteen sales paid by detained people, concession work paid by clients, other public funders, and the cost of public management (régie).';
COMMENT ON COLUMN payer_group.payer_group_id IS 'Identifier: administration, detained_people, concession_clients, other_public, regie.';
COMMENT ON COLUMN payer_group.label_fr IS 'Name in French.';
COMMENT ON COLUMN payer_group.label_en IS 'Name in English.';
COMMENT ON COLUMN payer_group.description_fr IS 'What the money is, in French.';
COMMENT ON COLUMN payer_group.description_en IS 'What the money is, in English.';
COMMENT ON COLUMN payer_group.sort_order IS 'Display order.';

CREATE TABLE payer (
    payer_id        VARCHAR PRIMARY KEY,
    payer_group_id  VARCHAR NOT NULL REFERENCES payer_group (payer_group_id),
    label_fr        VARCHAR NOT NULL,
    label_en        VARCHAR NOT NULL,
    sort_order      INTEGER NOT NULL
);
COMMENT ON TABLE payer IS 'Who pays a contract (taxonomy): the prison administration (DAP, DISP, establishment), detained people (canteen), concession clients, ATIGIP, a Région, a hospital, Éducation nationale.';
COMMENT ON COLUMN payer.payer_id IS 'Identifier: dap, disp, establishment, detained_people, concession_clients, atigip, region, hospital, education_nationale.';
COMMENT ON COLUMN payer.payer_group_id IS 'Kind of money this payer''s payments are (payer_group); never regie (régie is a contract kind).';
COMMENT ON COLUMN payer.label_fr IS 'Name in French.';
COMMENT ON COLUMN payer.label_en IS 'Name in English.';
COMMENT ON COLUMN payer.sort_order IS 'Display order.';

CREATE TABLE contract_kind (
    contract_kind_id  VARCHAR PRIMARY KEY,
    label_fr          VARCHAR NOT NULL,
    label_en          VARCHAR NOT NULL,
    description_fr    VARCHAR NOT NULL,
    description_en    VARCHAR NOT NULL,
    sort_order        INTEGER NOT NULL
);
COMMENT ON TABLE contract_kind IS 'Legal kind of a contract (taxonomy): public market, multiservice delegated-management market, concession, subsidy or agreement, public management (régie).';
COMMENT ON COLUMN contract_kind.contract_kind_id IS 'Identifier: public_market, multiservice_delegated, concession, subsidy_agreement, regie.';
COMMENT ON COLUMN contract_kind.label_fr IS 'Name in French.';
COMMENT ON COLUMN contract_kind.label_en IS 'Name in English.';
COMMENT ON COLUMN contract_kind.description_fr IS 'What the kind means, in French.';
COMMENT ON COLUMN contract_kind.description_en IS 'What the kind means, in English.';
COMMENT ON COLUMN contract_kind.sort_order IS 'Display order.';

CREATE TABLE destination_category (
    category_id    VARCHAR PRIMARY KEY,
    label_fr       VARCHAR NOT NULL,
    label_en       VARCHAR NOT NULL,
    is_returned    BOOLEAN NOT NULL,
    sort_order     INTEGER NOT NULL
);
COMMENT ON TABLE destination_category IS 'Top-level uses of an operator''s result (taxonomy).';
COMMENT ON COLUMN destination_category.category_id IS 'Identifier: reinsertion, family, service, reserves, members, dividends.';
COMMENT ON COLUMN destination_category.label_fr IS 'Name in French.';
COMMENT ON COLUMN destination_category.label_en IS 'Name in English.';
COMMENT ON COLUMN destination_category.is_returned IS 'True when the money goes back to detainees and their families (reinsertion, family support): the headline "returned" figure.';
COMMENT ON COLUMN destination_category.sort_order IS 'Display order.';

CREATE TABLE destination (
    destination_id  VARCHAR PRIMARY KEY,
    category_id     VARCHAR NOT NULL REFERENCES destination_category (category_id),
    label_fr        VARCHAR NOT NULL,
    label_en        VARCHAR NOT NULL,
    sort_order      INTEGER NOT NULL
);
COMMENT ON TABLE destination IS 'Detailed uses of an operator''s result, each in one category (taxonomy).';
COMMENT ON COLUMN destination.destination_id IS 'Identifier, e.g. reinsertion_training, family_visit_centres, dividends.';
COMMENT ON COLUMN destination.category_id IS 'Category the destination belongs to (destination_category).';
COMMENT ON COLUMN destination.label_fr IS 'Name in French.';
COMMENT ON COLUMN destination.label_en IS 'Name in English.';
COMMENT ON COLUMN destination.sort_order IS 'Display order.';

CREATE TABLE indicator (
    indicator_id  VARCHAR PRIMARY KEY,
    label_fr      VARCHAR NOT NULL,
    label_en      VARCHAR NOT NULL,
    unit          VARCHAR NOT NULL CHECK (unit IN ('people', 'hours', 'eur', 'certificates')),
    is_headcount  BOOLEAN NOT NULL,
    sort_order    INTEGER NOT NULL
);
COMMENT ON TABLE indicator IS 'Outcome indicators (taxonomy held in data/taxonomy/indicator.csv).';
COMMENT ON COLUMN indicator.indicator_id IS 'Identifier, e.g. detainees_employed, hours_worked, wages_paid.';
COMMENT ON COLUMN indicator.label_fr IS 'Name in French.';
COMMENT ON COLUMN indicator.label_en IS 'Name in English.';
COMMENT ON COLUMN indicator.unit IS 'Unit of the value: people, hours, eur or certificates.';
COMMENT ON COLUMN indicator.is_headcount IS 'True for counts of people in a year: they add up across establishments but not across years.';
COMMENT ON COLUMN indicator.sort_order IS 'Display order.';

CREATE TABLE canteen_item (
    item_id    VARCHAR PRIMARY KEY,
    label_fr   VARCHAR NOT NULL,
    label_en   VARCHAR NOT NULL,
    category   VARCHAR NOT NULL CHECK (category IN ('tobacco', 'food', 'drinks', 'hygiene', 'other')),
    unit       VARCHAR NOT NULL
);
COMMENT ON TABLE canteen_item IS 'Canteen catalogue: the items detainees can buy (taxonomy).';
COMMENT ON COLUMN canteen_item.item_id IS 'Identifier, e.g. coffee_250g.';
COMMENT ON COLUMN canteen_item.label_fr IS 'Name in French.';
COMMENT ON COLUMN canteen_item.label_en IS 'Name in English.';
COMMENT ON COLUMN canteen_item.category IS 'Spending category: tobacco, food, drinks, hygiene, other.';
COMMENT ON COLUMN canteen_item.unit IS 'Sales unit, e.g. "250 g", "1 unit".';

-- ---------------------------------------------------------------- establishments (real)

CREATE TABLE establishment (
    establishment_id      VARCHAR PRIMARY KEY,
    name                  VARCHAR NOT NULL,
    type_code             VARCHAR NOT NULL REFERENCES establishment_type (type_code),
    ministry_code         INTEGER,
    disp                  VARCHAR NOT NULL,
    address               VARCHAR,
    postal_code           VARCHAR NOT NULL,
    city                  VARCHAR NOT NULL,
    departement_code      VARCHAR NOT NULL,
    departement_name      VARCHAR NOT NULL,
    region_code           VARCHAR,
    region_name           VARCHAR NOT NULL,
    is_overseas           BOOLEAN NOT NULL,
    latitude              DOUBLE NOT NULL,
    longitude             DOUBLE NOT NULL,
    quartiers             VARCHAR NOT NULL,
    operational_capacity  INTEGER,
    source_id             VARCHAR NOT NULL REFERENCES source (source_id),
    note                  VARCHAR
);
COMMENT ON TABLE establishment IS 'The 186 French prison establishments open at 1 July 2026 (real data, ministry statistics via zaaraben/stats_carcerales).';
COMMENT ON COLUMN establishment.establishment_id IS 'Identifier: the ministry label in snake_case, e.g. cp_aix_luynes.';
COMMENT ON COLUMN establishment.name IS 'Ministry label, e.g. "CP AIX LUYNES".';
COMMENT ON COLUMN establishment.type_code IS 'Kind of establishment (establishment_type): MA, CP, CD, MC, CSL, EPM.';
COMMENT ON COLUMN establishment.ministry_code IS 'Ministry establishment code (cd_etablissement); empty for 4 establishments in the source.';
COMMENT ON COLUMN establishment.disp IS 'Interregional directorate (DISP), e.g. "DISP RENNES"; MOM for the overseas mission.';
COMMENT ON COLUMN establishment.address IS 'Street address (empty for 12 establishments in the source).';
COMMENT ON COLUMN establishment.postal_code IS 'Postal code, 5 characters.';
COMMENT ON COLUMN establishment.city IS 'Town.';
COMMENT ON COLUMN establishment.departement_code IS 'INSEE département code (2A/2B for Corsica, 971-976 and 975/986-988 overseas).';
COMMENT ON COLUMN establishment.departement_name IS 'Département name.';
COMMENT ON COLUMN establishment.region_code IS 'INSEE région code; empty for overseas collectivities that are not régions (975, 986, 987, 988).';
COMMENT ON COLUMN establishment.region_name IS 'Région name; for overseas collectivities without a région, the collectivity name.';
COMMENT ON COLUMN establishment.is_overseas IS 'True outside metropolitan France (no polygon in the bundled maps).';
COMMENT ON COLUMN establishment.latitude IS 'Latitude, WGS84 degrees.';
COMMENT ON COLUMN establishment.longitude IS 'Longitude, WGS84 degrees.';
COMMENT ON COLUMN establishment.quartiers IS 'Quartier codes of the establishment, separated by |, e.g. "CD/QCD|MA/QMA".';
COMMENT ON COLUMN establishment.operational_capacity IS 'Operational places (places opérationnelles) at 1 July 2026, summed over quartiers with a published headcount.';
COMMENT ON COLUMN establishment.source_id IS 'Source of the row (source).';
COMMENT ON COLUMN establishment.note IS 'Known problems of the source row and corrections made by Maillon.';

CREATE TABLE population_monthly (
    establishment_id      VARCHAR NOT NULL REFERENCES establishment (establishment_id),
    quartier              VARCHAR NOT NULL,
    month                 DATE NOT NULL,
    operational_capacity  INTEGER,
    detainees             INTEGER,
    provenance            VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id             VARCHAR NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (establishment_id, quartier, month)
);
COMMENT ON TABLE population_monthly IS 'Detainees held (écroués détenus) per establishment, quartier and month. Real from April 2025; modeled before, from the national trend.';
COMMENT ON COLUMN population_monthly.establishment_id IS 'Establishment (establishment).';
COMMENT ON COLUMN population_monthly.quartier IS 'Quartier code, e.g. MA/QMA, CD/QCD, SAS, EPM.';
COMMENT ON COLUMN population_monthly.month IS 'First day of the month the headcount refers to (situation on that day).';
COMMENT ON COLUMN population_monthly.operational_capacity IS 'Operational places of the quartier that month; empty when not published.';
COMMENT ON COLUMN population_monthly.detainees IS 'Detainees held that day, people; empty when the ministry publishes NC.';
COMMENT ON COLUMN population_monthly.provenance IS 'real (ministry monthly statistics) or modeled (estimated, see source).';
COMMENT ON COLUMN population_monthly.source_id IS 'Source of the row (source).';

-- ---------------------------------------------------------------- public figures (real, published)

CREATE TABLE public_fact (
    fact_id           VARCHAR PRIMARY KEY,
    theme             VARCHAR NOT NULL,
    sort_order        INTEGER NOT NULL,
    metric            VARCHAR NOT NULL,
    value_published   VARCHAR NOT NULL,
    value_number      DOUBLE,
    unit_kind         VARCHAR NOT NULL CHECK (unit_kind IN ('percent', 'eur', 'count', 'text')),
    unit_published    VARCHAR NOT NULL,
    scope_published   VARCHAR NOT NULL,
    date_published    VARCHAR NOT NULL,
    reference_year    INTEGER,
    label_fr          VARCHAR NOT NULL,
    label_en          VARCHAR NOT NULL,
    unit_fr           VARCHAR,
    unit_en           VARCHAR,
    scope_fr          VARCHAR NOT NULL,
    scope_en          VARCHAR NOT NULL,
    date_fr           VARCHAR NOT NULL,
    date_en           VARCHAR NOT NULL,
    value_fr          VARCHAR,
    value_en          VARCHAR,
    series_id         VARCHAR,
    series_label_fr   VARCHAR,
    series_label_en   VARCHAR,
    publisher         VARCHAR NOT NULL,
    publisher_label_fr VARCHAR NOT NULL,
    publisher_label_en VARCHAR NOT NULL,
    source_url        VARCHAR NOT NULL,
    licence_note      VARCHAR NOT NULL,
    reliability       VARCHAR NOT NULL,
    provenance        VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id         VARCHAR NOT NULL REFERENCES source (source_id),
    CHECK (theme IN ('gestion_deleguee', 'operator_history', 'cantine', 'travail')),
    CHECK (unit_kind = 'text' OR value_number IS NOT NULL),
    CHECK (unit_kind <> 'text' OR value_fr IS NOT NULL AND value_en IS NOT NULL),
    CHECK ((series_id IS NULL) = (series_label_fr IS NULL) AND (series_id IS NULL) = (series_label_en IS NULL))
);
COMMENT ON TABLE public_fact IS 'Figures published about prison services (parliament reports, a court decision, NGOs, press, a company), each with its date, publisher, link and reliability: the figure and its reference, never the source''s wording. Real, transcribed from public pages (data/reference/public-facts.csv); labels and publishers in French and English written by Maillon (public-facts-labels.csv).';
COMMENT ON COLUMN public_fact.fact_id IS 'Identifier: the metric, followed by its year when two figures share a metric.';
COMMENT ON COLUMN public_fact.theme IS 'Theme: gestion_deleguee (delegated management), operator_history, cantine (canteen prices) or travail (prison work).';
COMMENT ON COLUMN public_fact.sort_order IS 'Order of the figure in its file (the page keeps it within a theme).';
COMMENT ON COLUMN public_fact.metric IS 'What is measured, as named in the transcription (snake_case, English).';
COMMENT ON COLUMN public_fact.value_published IS 'The value as transcribed (a number, a range or a short list).';
COMMENT ON COLUMN public_fact.value_number IS 'The value as a number when it is one (a percentage as published: 42.8 for 42.8 %); empty for text values.';
COMMENT ON COLUMN public_fact.unit_kind IS 'How the value reads: percent, eur (euros), count or text.';
COMMENT ON COLUMN public_fact.unit_published IS 'The unit as transcribed, with its qualifiers (English).';
COMMENT ON COLUMN public_fact.scope_published IS 'What the figure covers, as transcribed (English).';
COMMENT ON COLUMN public_fact.date_published IS 'The date the figure describes, as transcribed (a year, a day, a period, "undated").';
COMMENT ON COLUMN public_fact.reference_year IS 'The first year in that date, from which the page says how old the figure is; empty when undated.';
COMMENT ON COLUMN public_fact.label_fr IS 'What the figure is, in French (Maillon''s words).';
COMMENT ON COLUMN public_fact.label_en IS 'What the figure is, in English (Maillon''s words).';
COMMENT ON COLUMN public_fact.unit_fr IS 'What follows the number, in French (e.g. "établissements sur 192").';
COMMENT ON COLUMN public_fact.unit_en IS 'What follows the number, in English.';
COMMENT ON COLUMN public_fact.scope_fr IS 'What the figure covers, in French.';
COMMENT ON COLUMN public_fact.scope_en IS 'What the figure covers, in English.';
COMMENT ON COLUMN public_fact.date_fr IS 'The date, in French.';
COMMENT ON COLUMN public_fact.date_en IS 'The date, in English.';
COMMENT ON COLUMN public_fact.value_fr IS 'A text value in French (numbers in the French format); empty for numbers, which the page formats.';
COMMENT ON COLUMN public_fact.value_en IS 'A text value in English; empty for numbers.';
COMMENT ON COLUMN public_fact.series_id IS 'Figures of the same date and unit that compare (drawn as one small chart), e.g. the 2015 market shares.';
COMMENT ON COLUMN public_fact.series_label_fr IS 'Short name of the figure within its series, in French (a bar''s label).';
COMMENT ON COLUMN public_fact.series_label_en IS 'Short name of the figure within its series, in English.';
COMMENT ON COLUMN public_fact.publisher IS 'Who published the figure, as transcribed (its qualifiers in English, e.g. "GEPSA (company site)").';
COMMENT ON COLUMN public_fact.publisher_label_fr IS 'Who published the figure, in French (proper names as published, e.g. "GEPSA (site de l''entreprise)").';
COMMENT ON COLUMN public_fact.publisher_label_en IS 'Who published the figure, in English.';
COMMENT ON COLUMN public_fact.source_url IS 'Address of the page the figure was read in.';
COMMENT ON COLUMN public_fact.licence_note IS 'What may be reused: the figure with its source, never a copyrighted text.';
COMMENT ON COLUMN public_fact.reliability IS 'Kind of source, as transcribed: official (parliament, court, law, administration), secondary (press, NGO, research) or company statement.';
COMMENT ON COLUMN public_fact.provenance IS 'real (published figures).';
COMMENT ON COLUMN public_fact.source_id IS 'Source of the row (source): the transcription of public figures.';

-- ---------------------------------------------------------------- operators and markets (illustrative in the demo)

CREATE TABLE operator (
    operator_id  VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    kind_id      VARCHAR NOT NULL REFERENCES operator_kind (kind_id),
    is_grouping  BOOLEAN NOT NULL,
    provenance   VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id    VARCHAR NOT NULL REFERENCES source (source_id)
);
COMMENT ON TABLE operator IS 'Organisations that hold prison markets. In the demo set every name is invented.';
COMMENT ON COLUMN operator.operator_id IS 'Identifier, e.g. op_017.';
COMMENT ON COLUMN operator.name IS 'Name of the organisation or grouping.';
COMMENT ON COLUMN operator.kind_id IS 'Legal kind (operator_kind); for a grouping, the kind of its lead member.';
COMMENT ON COLUMN operator.is_grouping IS 'True for a grouping (groupement) of organisations answering a tender together; its members are in grouping_member.';
COMMENT ON COLUMN operator.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN operator.source_id IS 'Source of the row (source).';

CREATE TABLE grouping_member (
    grouping_id  VARCHAR NOT NULL REFERENCES operator (operator_id),
    member_id    VARCHAR NOT NULL REFERENCES operator (operator_id),
    role         VARCHAR NOT NULL CHECK (role IN ('lead', 'member')),
    PRIMARY KEY (grouping_id, member_id)
);
COMMENT ON TABLE grouping_member IS 'Members of each grouping operator. A grouping has exactly one lead and at least two members; members are not groupings.';
COMMENT ON COLUMN grouping_member.grouping_id IS 'The grouping (operator with is_grouping = true).';
COMMENT ON COLUMN grouping_member.member_id IS 'A member organisation (operator with is_grouping = false).';
COMMENT ON COLUMN grouping_member.role IS 'lead (mandataire) or member (co-traitant).';

CREATE TABLE contract (
    contract_id        VARCHAR PRIMARY KEY,
    domain_id          VARCHAR NOT NULL REFERENCES service_domain (domain_id),
    operator_id        VARCHAR NOT NULL REFERENCES operator (operator_id),
    lot                VARCHAR NOT NULL,
    start_date         DATE NOT NULL,
    end_date           DATE NOT NULL,
    awarded_value_eur  DECIMAL(16, 2) NOT NULL CHECK (awarded_value_eur >= 0),
    payer_id           VARCHAR NOT NULL REFERENCES payer (payer_id),
    contract_kind_id   VARCHAR NOT NULL REFERENCES contract_kind (contract_kind_id),
    provenance         VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id          VARCHAR NOT NULL REFERENCES source (source_id),
    CHECK (end_date >= start_date)
);
COMMENT ON TABLE contract IS 'Contracts for prison services: one operator, one service domain, one lot, a period, one or more establishments, a payer and a legal kind. Only those the prison administration pays make the market value; a régie row records the cost of public management, its operator being the administration itself.';
COMMENT ON COLUMN contract.contract_id IS 'Identifier, e.g. ct_0042.';
COMMENT ON COLUMN contract.domain_id IS 'Service domain (service_domain).';
COMMENT ON COLUMN contract.operator_id IS 'Holder of the contract (operator), possibly a grouping.';
COMMENT ON COLUMN contract.lot IS 'Lot label within the tender, e.g. "Lot 2 - DISP Lyon".';
COMMENT ON COLUMN contract.start_date IS 'First day of the contract.';
COMMENT ON COLUMN contract.end_date IS 'Last day of the contract (on or after start_date).';
COMMENT ON COLUMN contract.awarded_value_eur IS 'Value awarded for the whole period, EUR excluding VAT.';
COMMENT ON COLUMN contract.payer_id IS 'Who pays the holder (payer): the prison administration (dap, disp, establishment) — the market value —, detained people for the canteen, concession clients, or another public funder.';
COMMENT ON COLUMN contract.contract_kind_id IS 'Legal kind (contract_kind): public_market, multiservice_delegated, concession, subsidy_agreement or regie (public management: a cost, not a market).';
COMMENT ON COLUMN contract.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN contract.source_id IS 'Source of the row (source).';

CREATE TABLE contract_establishment (
    contract_id       VARCHAR NOT NULL REFERENCES contract (contract_id),
    establishment_id  VARCHAR NOT NULL REFERENCES establishment (establishment_id),
    PRIMARY KEY (contract_id, establishment_id)
);
COMMENT ON TABLE contract_establishment IS 'Establishments covered by each contract. Two contracts of the same domain never cover the same establishment over overlapping periods.';
COMMENT ON COLUMN contract_establishment.contract_id IS 'Contract (contract).';
COMMENT ON COLUMN contract_establishment.establishment_id IS 'Establishment covered (establishment).';

CREATE TABLE establishment_management (
    establishment_id  VARCHAR PRIMARY KEY REFERENCES establishment (establishment_id),
    management_mode   VARCHAR NOT NULL CHECK (management_mode IN ('public', 'delegated', 'ppp')),
    partner_id        VARCHAR REFERENCES operator (operator_id),
    lot               VARCHAR,
    provenance        VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id         VARCHAR NOT NULL REFERENCES source (source_id),
    CHECK (management_mode != 'public' OR partner_id IS NULL)
);
COMMENT ON TABLE establishment_management IS 'How each establishment is managed: gestion publique (the administration runs its services), gestion déléguée (a multiservice contract with a private partner) or partenariat public-privé (PPP: a private partner built it and runs services under a long contract). 71 establishments had a private partner in 2020 (Sénat): a calibration fact, not a list; the demo''s modes are illustrative.';
COMMENT ON COLUMN establishment_management.establishment_id IS 'Establishment (establishment).';
COMMENT ON COLUMN establishment_management.management_mode IS 'public (gestion publique), delegated (gestion déléguée) or ppp (partenariat public-privé).';
COMMENT ON COLUMN establishment_management.partner_id IS 'The private partner (operator), where known; empty under public management.';
COMMENT ON COLUMN establishment_management.lot IS 'The lot of the partner''s contract, where known.';
COMMENT ON COLUMN establishment_management.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN establishment_management.source_id IS 'Source of the row (source).';

CREATE TABLE contract_revenue (
    contract_id       VARCHAR NOT NULL REFERENCES contract (contract_id),
    establishment_id  VARCHAR NOT NULL REFERENCES establishment (establishment_id),
    year              INTEGER NOT NULL,
    revenue_eur       DECIMAL(16, 2) NOT NULL CHECK (revenue_eur >= 0),
    provenance        VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id         VARCHAR NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (contract_id, establishment_id, year)
);
COMMENT ON TABLE contract_revenue IS 'Revenue earned by the holder of a contract at one establishment in one year: the market value. The establishment is one of the contract''s and the year within its period.';
COMMENT ON COLUMN contract_revenue.contract_id IS 'Contract (contract).';
COMMENT ON COLUMN contract_revenue.establishment_id IS 'Establishment where the revenue was earned (contract_establishment).';
COMMENT ON COLUMN contract_revenue.year IS 'Calendar year.';
COMMENT ON COLUMN contract_revenue.revenue_eur IS 'Revenue, EUR (for the canteen: the sales to detainees recorded in canteen_sale for that establishment and the contract''s months of that year).';
COMMENT ON COLUMN contract_revenue.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN contract_revenue.source_id IS 'Source of the row (source).';

CREATE TABLE operator_result (
    operator_id         VARCHAR NOT NULL REFERENCES operator (operator_id),
    year                INTEGER NOT NULL,
    revenue_eur         DECIMAL(16, 2) NOT NULL CHECK (revenue_eur >= 0),
    costs_eur           DECIMAL(16, 2) NOT NULL CHECK (costs_eur >= 0),
    detainee_wages_eur  DECIMAL(16, 2) NOT NULL CHECK (detainee_wages_eur >= 0),
    result_eur          DECIMAL(16, 2) NOT NULL,
    provenance          VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id           VARCHAR NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (operator_id, year),
    CHECK (costs_eur <= revenue_eur),
    CHECK (detainee_wages_eur <= costs_eur),
    CHECK (result_eur = revenue_eur - costs_eur)
);
COMMENT ON TABLE operator_result IS 'Annual accounts of each operator''s prison-market activity. revenue_eur equals the sum of its contract_revenue that year.';
COMMENT ON COLUMN operator_result.operator_id IS 'Operator (operator).';
COMMENT ON COLUMN operator_result.year IS 'Financial year (calendar year).';
COMMENT ON COLUMN operator_result.revenue_eur IS 'Revenue from prison markets, EUR.';
COMMENT ON COLUMN operator_result.costs_eur IS 'All costs of that activity, EUR, detainees'' wages included; never above revenue.';
COMMENT ON COLUMN operator_result.detainee_wages_eur IS 'Part of costs paid as wages to working detainees, EUR gross; equals the operator''s wages_paid outcomes that year.';
COMMENT ON COLUMN operator_result.result_eur IS 'Result (surplus) = revenue - costs, EUR.';
COMMENT ON COLUMN operator_result.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN operator_result.source_id IS 'Source of the row (source).';

CREATE TABLE reallocation (
    operator_id     VARCHAR NOT NULL REFERENCES operator (operator_id),
    year            INTEGER NOT NULL,
    destination_id  VARCHAR NOT NULL REFERENCES destination (destination_id),
    amount_eur      DECIMAL(16, 2) NOT NULL CHECK (amount_eur >= 0),
    provenance      VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id       VARCHAR NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (operator_id, year, destination_id)
);
COMMENT ON TABLE reallocation IS 'Where each operator''s result of a year goes. The amounts of an operator and year add up exactly to its result_eur.';
COMMENT ON COLUMN reallocation.operator_id IS 'Operator (operator).';
COMMENT ON COLUMN reallocation.year IS 'Financial year whose result is allocated.';
COMMENT ON COLUMN reallocation.destination_id IS 'Use of the money (destination).';
COMMENT ON COLUMN reallocation.amount_eur IS 'Amount, EUR.';
COMMENT ON COLUMN reallocation.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN reallocation.source_id IS 'Source of the row (source).';

CREATE TABLE outcome (
    operator_id       VARCHAR NOT NULL REFERENCES operator (operator_id),
    establishment_id  VARCHAR NOT NULL REFERENCES establishment (establishment_id),
    domain_id         VARCHAR NOT NULL REFERENCES service_domain (domain_id),
    year              INTEGER NOT NULL,
    indicator_id      VARCHAR NOT NULL REFERENCES indicator (indicator_id),
    value             DOUBLE NOT NULL CHECK (value >= 0),
    provenance        VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id         VARCHAR NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (operator_id, establishment_id, domain_id, year, indicator_id)
);
COMMENT ON TABLE outcome IS 'What an operator''s activity produced for detainees and families, per establishment, service domain and year.';
COMMENT ON COLUMN outcome.operator_id IS 'Operator (operator).';
COMMENT ON COLUMN outcome.establishment_id IS 'Establishment (establishment).';
COMMENT ON COLUMN outcome.domain_id IS 'Service domain of the activity (service_domain).';
COMMENT ON COLUMN outcome.year IS 'Calendar year.';
COMMENT ON COLUMN outcome.indicator_id IS 'Indicator (indicator).';
COMMENT ON COLUMN outcome.value IS 'Value in the indicator''s unit (people, hours, EUR or certificates).';
COMMENT ON COLUMN outcome.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN outcome.source_id IS 'Source of the row (source).';

-- ---------------------------------------------------------------- public procurement (real, imported from DECP and SIRENE)

CREATE TABLE procurement_contract (
    procurement_id         VARCHAR PRIMARY KEY,
    decp_id                VARCHAR NOT NULL,
    decp_uid               VARCHAR,
    record_type            VARCHAR NOT NULL CHECK (record_type IN ('market', 'concession')),
    nature                 VARCHAR,
    buyer_siret            VARCHAR,
    buyer_name             VARCHAR,
    object                 VARCHAR,
    cpv_code               VARCHAR NOT NULL,
    domain_id              VARCHAR REFERENCES service_domain (domain_id),
    is_multiservice        BOOLEAN NOT NULL,
    procedure              VARCHAR,
    place_code             VARCHAR,
    place_name             VARCHAR,
    notified_on            DATE NOT NULL,
    duration_months        INTEGER,
    end_on                 DATE,
    amount_notified_eur    DOUBLE NOT NULL CHECK (amount_notified_eur > 0),
    initial_amount_eur     DOUBLE NOT NULL CHECK (initial_amount_eur > 0),
    modifications_applied  INTEGER NOT NULL CHECK (modifications_applied >= 0),
    social_considerations  VARCHAR,
    operator_id            VARCHAR NOT NULL REFERENCES operator (operator_id),
    platform               VARCHAR,
    file_name              VARCHAR NOT NULL,
    provenance             VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id              VARCHAR NOT NULL REFERENCES source (source_id),
    CHECK (is_multiservice = (domain_id IS NULL)),
    CHECK (end_on IS NULL OR end_on >= notified_on)
);
COMMENT ON TABLE procurement_contract IS 'Contracts of the prison administration''s buyers published as open procurement data (DECP, contracts of 40,000 EUR or more), imported by python -m maillon.admin.importer decp: one row per contract after duplicates are removed and modifications applied. The amount is the one notified (a maximum or an estimate), not money paid nor revenue.';
COMMENT ON COLUMN procurement_contract.procurement_id IS 'Identifier built from the buyer''s SIRET and its own contract id.';
COMMENT ON COLUMN procurement_contract.decp_id IS 'The buyer''s own contract id (DECP id).';
COMMENT ON COLUMN procurement_contract.decp_uid IS 'The DECP uid when published (buyer SIRET + id).';
COMMENT ON COLUMN procurement_contract.record_type IS 'market (marché) or concession (contrat de concession).';
COMMENT ON COLUMN procurement_contract.nature IS 'Nature as published: Marché, Accord-cadre, Marché subséquent, Délégation de service public…';
COMMENT ON COLUMN procurement_contract.buyer_siret IS 'SIRET of the buyer (14 digits, text); empty when the record gives none (the buyer is then recognised by its name).';
COMMENT ON COLUMN procurement_contract.buyer_name IS 'Name of the buyer as published (the 2022 format gives none).';
COMMENT ON COLUMN procurement_contract.object IS 'Object of the contract as published; empty when the record gives none.';
COMMENT ON COLUMN procurement_contract.cpv_code IS 'Main CPV code (8 digits, check digit removed).';
COMMENT ON COLUMN procurement_contract.domain_id IS 'Service domain from the CPV code (data/taxonomy/cpv_domain.csv); empty for a multiservice contract.';
COMMENT ON COLUMN procurement_contract.is_multiservice IS 'True for a contract covering several service domains (delegated management): kept as one contract, never split by an invented key.';
COMMENT ON COLUMN procurement_contract.procedure IS 'Award procedure as published.';
COMMENT ON COLUMN procurement_contract.place_code IS 'Place of performance code as published (postal code, commune or département).';
COMMENT ON COLUMN procurement_contract.place_name IS 'Place of performance name as published.';
COMMENT ON COLUMN procurement_contract.notified_on IS 'Date the contract was notified (its year is the year figures use).';
COMMENT ON COLUMN procurement_contract.duration_months IS 'Duration in months, after modifications.';
COMMENT ON COLUMN procurement_contract.end_on IS 'Notification date plus duration: the expected end.';
COMMENT ON COLUMN procurement_contract.amount_notified_eur IS 'Amount notified, EUR excluding VAT, after modifications: a maximum or an estimate at notification, not money paid.';
COMMENT ON COLUMN procurement_contract.initial_amount_eur IS 'Amount notified before any modification.';
COMMENT ON COLUMN procurement_contract.modifications_applied IS 'Number of published modifications applied (amount, duration, holders).';
COMMENT ON COLUMN procurement_contract.social_considerations IS 'Social considerations as published (clause sociale, marché réservé…), when the format has them.';
COMMENT ON COLUMN procurement_contract.operator_id IS 'Holder (operator): the company, or the grouping when several hold it together.';
COMMENT ON COLUMN procurement_contract.platform IS 'Platform that published the record (its source field).';
COMMENT ON COLUMN procurement_contract.file_name IS 'Name of the file imported.';
COMMENT ON COLUMN procurement_contract.provenance IS 'real (published data).';
COMMENT ON COLUMN procurement_contract.source_id IS 'Source of the row (source): the DECP file.';

CREATE TABLE procurement_holder (
    procurement_id  VARCHAR NOT NULL REFERENCES procurement_contract (procurement_id),
    position        INTEGER NOT NULL CHECK (position >= 1),
    operator_id     VARCHAR NOT NULL REFERENCES operator (operator_id),
    id_type         VARCHAR,
    holder_id       VARCHAR,
    siren           VARCHAR,
    name_published  VARCHAR,
    PRIMARY KEY (procurement_id, position)
);
COMMENT ON TABLE procurement_holder IS 'The holders of each published contract as published, in order: position 1 is the lead (mandataire) of a grouping. Each is an operator; several holders make the contract''s operator a grouping.';
COMMENT ON COLUMN procurement_holder.procurement_id IS 'Published contract (procurement_contract).';
COMMENT ON COLUMN procurement_holder.position IS 'Order as published, from 1 (the lead).';
COMMENT ON COLUMN procurement_holder.operator_id IS 'The holder as an operator (operator).';
COMMENT ON COLUMN procurement_holder.id_type IS 'Kind of identifier as published: SIRET, SIREN, TVA, HORS-UE…';
COMMENT ON COLUMN procurement_holder.holder_id IS 'Identifier as published.';
COMMENT ON COLUMN procurement_holder.siren IS 'SIREN (the first 9 digits of a SIRET), by which the register is searched; empty for a foreign identifier.';
COMMENT ON COLUMN procurement_holder.name_published IS 'Name as published (the 2022 format gives none: the register gives it).';

CREATE TABLE procurement_establishment (
    procurement_id    VARCHAR NOT NULL REFERENCES procurement_contract (procurement_id),
    establishment_id  VARCHAR NOT NULL REFERENCES establishment (establishment_id),
    located_by        VARCHAR NOT NULL CHECK (located_by IN ('buyer', 'place')),
    PRIMARY KEY (procurement_id, establishment_id)
);
COMMENT ON TABLE procurement_establishment IS 'Establishments a published contract is for, where its buyer or its place of performance names one; contracts of a DISP, of the central administration or national ones have none (not located).';
COMMENT ON COLUMN procurement_establishment.procurement_id IS 'Published contract (procurement_contract).';
COMMENT ON COLUMN procurement_establishment.establishment_id IS 'Establishment (establishment).';
COMMENT ON COLUMN procurement_establishment.located_by IS 'What names it: buyer (the buyer is the establishment) or place (the place of performance).';

CREATE TABLE operator_register (
    operator_id       VARCHAR PRIMARY KEY REFERENCES operator (operator_id),
    siren             VARCHAR NOT NULL,
    legal_form_code   VARCHAR,
    legal_form_label  VARCHAR,
    ess_flag          VARCHAR CHECK (ess_flag IN ('O', 'N')),
    is_active         BOOLEAN NOT NULL,
    created_on        DATE,
    activity_code     VARCHAR,
    source_id         VARCHAR NOT NULL REFERENCES source (source_id)
);
COMMENT ON TABLE operator_register IS 'What the company register (SIRENE, StockUniteLegale) says of each contract holder found in it, imported by python -m maillon.admin.importer sirene: legal form, ESS flag, state. The operator''s kind is set from it (data/taxonomy/legal_form_kind.csv).';
COMMENT ON COLUMN operator_register.operator_id IS 'The holder (operator).';
COMMENT ON COLUMN operator_register.siren IS 'SIREN (9 digits, text).';
COMMENT ON COLUMN operator_register.legal_form_code IS 'INSEE legal-form code (catégorie juridique, level III, 4 digits).';
COMMENT ON COLUMN operator_register.legal_form_label IS 'Label of that legal form.';
COMMENT ON COLUMN operator_register.ess_flag IS 'The register''s social and solidarity economy flag: O (yes), N (no), empty when not given.';
COMMENT ON COLUMN operator_register.is_active IS 'False when the register says the legal unit has ceased.';
COMMENT ON COLUMN operator_register.created_on IS 'Date the legal unit was created.';
COMMENT ON COLUMN operator_register.activity_code IS 'Main activity code (NAF).';
COMMENT ON COLUMN operator_register.source_id IS 'Source of the row (source): the SIRENE file.';

-- ---------------------------------------------------------------- canteen

CREATE TABLE canteen_price (
    item_id              VARCHAR NOT NULL REFERENCES canteen_item (item_id),
    establishment_id     VARCHAR NOT NULL REFERENCES establishment (establishment_id),
    valid_from           DATE NOT NULL,
    valid_to             DATE NOT NULL,
    price_eur            DECIMAL(10, 2) NOT NULL CHECK (price_eur >= 0),
    reference_price_eur  DECIMAL(10, 2) NOT NULL CHECK (reference_price_eur > 0),
    provenance           VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id            VARCHAR NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (item_id, establishment_id, valid_from),
    CHECK (valid_to >= valid_from)
);
COMMENT ON TABLE canteen_price IS 'Canteen price of an item at an establishment over a period, with the price of the same item outside (reference). Periods of one item and establishment do not overlap.';
COMMENT ON COLUMN canteen_price.item_id IS 'Item (canteen_item).';
COMMENT ON COLUMN canteen_price.establishment_id IS 'Establishment (establishment).';
COMMENT ON COLUMN canteen_price.valid_from IS 'First day the price applies.';
COMMENT ON COLUMN canteen_price.valid_to IS 'Last day the price applies.';
COMMENT ON COLUMN canteen_price.price_eur IS 'Price paid by detainees, EUR including VAT.';
COMMENT ON COLUMN canteen_price.reference_price_eur IS 'Price of the same item in an outside supermarket, EUR including VAT; markup = price / reference - 1.';
COMMENT ON COLUMN canteen_price.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN canteen_price.source_id IS 'Source of the row (source).';

CREATE TABLE canteen_sale (
    establishment_id  VARCHAR NOT NULL,
    sale_date         DATE NOT NULL,
    item_id           VARCHAR NOT NULL,
    quantity          INTEGER NOT NULL CHECK (quantity >= 0),
    amount_eur        DECIMAL(14, 2) NOT NULL CHECK (amount_eur >= 0),
    provenance        VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id         VARCHAR NOT NULL
);
COMMENT ON TABLE canteen_sale IS 'Canteen order lines: establishment, order date, item, quantity and amount (the large table). The demo set consolidates each establishment''s orders into one line per month and item; references are checked at build time rather than by foreign keys, for load speed.';
COMMENT ON COLUMN canteen_sale.establishment_id IS 'Establishment (establishment).';
COMMENT ON COLUMN canteen_sale.sale_date IS 'Date of the canteen order (the demo set dates its monthly lines on the 1st).';
COMMENT ON COLUMN canteen_sale.item_id IS 'Item (canteen_item).';
COMMENT ON COLUMN canteen_sale.quantity IS 'Units sold.';
COMMENT ON COLUMN canteen_sale.amount_eur IS 'Amount paid by detainees, EUR including VAT.';
COMMENT ON COLUMN canteen_sale.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN canteen_sale.source_id IS 'Source of the row (source).';

-- ---------------------------------------------------------------- targets (board)

CREATE TABLE target (
    target_id   VARCHAR PRIMARY KEY,
    year        INTEGER NOT NULL,
    metric_id   VARCHAR NOT NULL CHECK (metric_id IN ('market_value_eur', 'ess_share', 'returned_eur',
                                                      'returned_share_of_result', 'detainees_employed',
                                                      'volunteers', 'volunteer_hours', 'people_reached',
                                                      'establishments_covered', 'joint_actions')),
    scope       VARCHAR NOT NULL CHECK (scope IN ('all')),
    value       DOUBLE NOT NULL CHECK (value >= 0),
    unit        VARCHAR NOT NULL CHECK (unit IN ('eur', 'share', 'people', 'hours', 'count')),
    CHECK (unit <> 'share' OR value <= 1),
    provenance  VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id   VARCHAR NOT NULL REFERENCES source (source_id),
    note        VARCHAR,
    UNIQUE (year, metric_id, scope)
);
COMMENT ON TABLE target IS 'Targets the organisation sets itself for a year, compared with the actual figures in the Annual summary (market figures) and the Network annual report (associations figures). Editable by import like any other table.';
COMMENT ON COLUMN target.target_id IS 'Identifier, e.g. t_2025_ess_share.';
COMMENT ON COLUMN target.year IS 'Calendar year the target is for.';
COMMENT ON COLUMN target.metric_id IS 'Headline figure targeted: market_value_eur, ess_share (share of market value), returned_eur (result to reinsertion and families), returned_share_of_result (part of reallocated result going to reinsertion and families) or detainees_employed (headcount); for the associations network: volunteers, volunteer_hours, people_reached, establishments_covered (establishments where at least one association intervenes) or joint_actions.';
COMMENT ON COLUMN target.scope IS 'Scope the target applies to: all (every establishment, domain and operator kind).';
COMMENT ON COLUMN target.value IS 'Target value, in the unit below (a share as a fraction: 0.25 for 25 %).';
COMMENT ON COLUMN target.unit IS 'Unit of the value: eur, share (fraction), people, hours or count.';
COMMENT ON COLUMN target.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN target.source_id IS 'Source of the row (source), e.g. the board decision.';
COMMENT ON COLUMN target.note IS 'Why the target was set, or how it is measured, in a sentence.';

-- ---------------------------------------------------------------- social return (SROI) proxies

CREATE TABLE sroi_proxy (
    indicator_id  VARCHAR PRIMARY KEY REFERENCES indicator (indicator_id),
    low_eur       DOUBLE NOT NULL CHECK (low_eur >= 0),
    central_eur   DOUBLE NOT NULL CHECK (central_eur >= low_eur),
    high_eur      DOUBLE NOT NULL CHECK (high_eur >= central_eur),
    basis         VARCHAR NOT NULL,
    provenance    VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id     VARCHAR NOT NULL REFERENCES source (source_id)
);
COMMENT ON TABLE sroi_proxy IS 'Financial proxies for the SROI view: the value to society of one unit of an outcome indicator, as a low / central / high range. Indicators without a proxy (wages, hours, headcount of employed) are not valued, to avoid counting transfers or the same benefit twice.';
COMMENT ON COLUMN sroi_proxy.indicator_id IS 'Outcome indicator valued (indicator).';
COMMENT ON COLUMN sroi_proxy.low_eur IS 'Low value of one unit of the indicator, EUR.';
COMMENT ON COLUMN sroi_proxy.central_eur IS 'Central value of one unit, EUR.';
COMMENT ON COLUMN sroi_proxy.high_eur IS 'High value of one unit, EUR.';
COMMENT ON COLUMN sroi_proxy.basis IS 'What the proxy stands for and how it was set, in a sentence.';
COMMENT ON COLUMN sroi_proxy.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN sroi_proxy.source_id IS 'Source of the proxy (source).';

-- ---------------------------------------------------------------- associations network (illustrative in the demo)

CREATE TABLE association (
    association_id  VARCHAR PRIMARY KEY,
    name            VARCHAR NOT NULL,
    field_id        VARCHAR NOT NULL CHECK (field_id IN ('education', 'culture', 'family_support', 'legal_access', 'health', 'reinsertion', 'housing', 'employment')),
    scope           VARCHAR NOT NULL CHECK (scope IN ('national', 'local')),
    setting         VARCHAR NOT NULL CHECK (setting IN ('inside', 'after_release', 'both')),
    address         VARCHAR,
    postal_code     VARCHAR,
    city            VARCHAR NOT NULL,
    email           VARCHAR,
    phone           VARCHAR,
    provenance      VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id       VARCHAR NOT NULL REFERENCES source (source_id)
);
COMMENT ON TABLE association IS 'Associations working with detainees, their families or people released. Contacts are those of the organisation, never of a private person. In the demo set every name and contact is invented.';
COMMENT ON COLUMN association.association_id IS 'Identifier, e.g. as_042.';
COMMENT ON COLUMN association.name IS 'Name of the association.';
COMMENT ON COLUMN association.field_id IS 'Main field of action: education, culture, family_support, legal_access, health, reinsertion, housing or employment.';
COMMENT ON COLUMN association.scope IS 'national (a national network present in many establishments) or local.';
COMMENT ON COLUMN association.setting IS 'Where it works: inside (in prison), after_release, or both (relay from inside to after release).';
COMMENT ON COLUMN association.address IS 'Postal address of the organisation (street).';
COMMENT ON COLUMN association.postal_code IS 'Postal code of the organisation.';
COMMENT ON COLUMN association.city IS 'Town of the organisation''s seat.';
COMMENT ON COLUMN association.email IS 'E-mail address of the organisation (a shared mailbox, not a person).';
COMMENT ON COLUMN association.phone IS 'Telephone number of the organisation (switchboard, not a person).';
COMMENT ON COLUMN association.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN association.source_id IS 'Source of the row (source).';

CREATE TABLE association_intervention (
    association_id    VARCHAR NOT NULL REFERENCES association (association_id),
    establishment_id  VARCHAR NOT NULL REFERENCES establishment (establishment_id),
    year              INTEGER NOT NULL,
    action_kind       VARCHAR NOT NULL CHECK (action_kind IN ('workshop', 'tutoring', 'visit_reception', 'legal_desk', 'health_prevention', 'release_preparation', 'job_coaching', 'housing_search')),
    volunteers        INTEGER NOT NULL CHECK (volunteers >= 0),
    hours             INTEGER NOT NULL CHECK (hours >= 0),
    people_reached    INTEGER NOT NULL CHECK (people_reached >= 0),
    provenance        VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id         VARCHAR NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (association_id, establishment_id, year)
);
COMMENT ON TABLE association_intervention IS 'What an association does at one establishment in one year: kind of action, volunteers, hours and people reached.';
COMMENT ON COLUMN association_intervention.association_id IS 'The association (association).';
COMMENT ON COLUMN association_intervention.establishment_id IS 'Establishment where it intervenes (establishment).';
COMMENT ON COLUMN association_intervention.year IS 'Calendar year.';
COMMENT ON COLUMN association_intervention.action_kind IS 'Main kind of action: workshop, tutoring, visit_reception, legal_desk, health_prevention, release_preparation, job_coaching or housing_search.';
COMMENT ON COLUMN association_intervention.volunteers IS 'Volunteers and staff taking part that year, people.';
COMMENT ON COLUMN association_intervention.hours IS 'Hours of presence that year.';
COMMENT ON COLUMN association_intervention.people_reached IS 'Detainees or relatives who took part at least once that year, people.';
COMMENT ON COLUMN association_intervention.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN association_intervention.source_id IS 'Source of the row (source).';

CREATE TABLE association_partnership (
    partnership_id         VARCHAR PRIMARY KEY,
    association_id         VARCHAR NOT NULL REFERENCES association (association_id),
    partner_id             VARCHAR NOT NULL REFERENCES association (association_id),
    since_year             INTEGER NOT NULL,
    ended_year             INTEGER CHECK (ended_year >= since_year),
    purpose                VARCHAR NOT NULL CHECK (purpose IN ('referral', 'joint_project', 'training', 'shared_premises', 'release_relay')),
    has_convention         BOOLEAN NOT NULL,
    convention_signed_on   DATE,
    convention_renewal_on  DATE,
    provenance             VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id              VARCHAR NOT NULL REFERENCES source (source_id),
    CHECK (association_id < partner_id)
);
COMMENT ON TABLE association_partnership IS 'Partnerships between two associations (undirected: association_id sorts before partner_id), with the convention that frames it when one is signed.';
COMMENT ON COLUMN association_partnership.partnership_id IS 'Identifier, e.g. pa_007.';
COMMENT ON COLUMN association_partnership.association_id IS 'First association (association), the one whose identifier sorts first.';
COMMENT ON COLUMN association_partnership.partner_id IS 'Second association (association).';
COMMENT ON COLUMN association_partnership.since_year IS 'Year the partnership started.';
COMMENT ON COLUMN association_partnership.ended_year IS 'Year the partnership ended (the partners stopped working together); empty while it lasts.';
COMMENT ON COLUMN association_partnership.purpose IS 'What it is for: referral, joint_project, training, shared_premises or release_relay (support inside continued after release).';
COMMENT ON COLUMN association_partnership.has_convention IS 'True when a convention is signed; then both dates are given.';
COMMENT ON COLUMN association_partnership.convention_signed_on IS 'Date the convention was signed; empty without one.';
COMMENT ON COLUMN association_partnership.convention_renewal_on IS 'Date the convention must be renewed, after its signature; empty without one.';
COMMENT ON COLUMN association_partnership.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN association_partnership.source_id IS 'Source of the row (source).';

CREATE TABLE association_collective (
    collective_id  VARCHAR PRIMARY KEY,
    name           VARCHAR NOT NULL,
    founded_year   INTEGER NOT NULL,
    provenance     VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id      VARCHAR NOT NULL REFERENCES source (source_id)
);
COMMENT ON TABLE association_collective IS 'Collectives (federations, platforms) that associations join to speak and act together.';
COMMENT ON COLUMN association_collective.collective_id IS 'Identifier, e.g. co_03.';
COMMENT ON COLUMN association_collective.name IS 'Name of the collective.';
COMMENT ON COLUMN association_collective.founded_year IS 'Year the collective was founded.';
COMMENT ON COLUMN association_collective.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN association_collective.source_id IS 'Source of the row (source).';

CREATE TABLE collective_member (
    collective_id   VARCHAR NOT NULL REFERENCES association_collective (collective_id),
    association_id  VARCHAR NOT NULL REFERENCES association (association_id),
    PRIMARY KEY (collective_id, association_id)
);
COMMENT ON TABLE collective_member IS 'Associations that are members of each collective.';
COMMENT ON COLUMN collective_member.collective_id IS 'The collective (association_collective).';
COMMENT ON COLUMN collective_member.association_id IS 'A member association (association).';

CREATE TABLE local_group (
    local_group_id  VARCHAR PRIMARY KEY,
    association_id  VARCHAR NOT NULL REFERENCES association (association_id),
    name            VARCHAR NOT NULL,
    disp            VARCHAR NOT NULL,
    contact_role    VARCHAR NOT NULL,
    email           VARCHAR,
    phone           VARCHAR,
    address         VARCHAR,
    postal_code     VARCHAR,
    city            VARCHAR NOT NULL,
    founded_year    INTEGER NOT NULL,
    provenance      VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id       VARCHAR NOT NULL REFERENCES source (source_id)
);
COMMENT ON TABLE local_group IS 'Local groups of an association: the team that goes to the establishments of one area (a DISP) and hands its contacts over to the next year''s team. Contacts are those of the group as an organisation, never of a private person. In the demo set every name and contact is invented.';
COMMENT ON COLUMN local_group.local_group_id IS 'Identifier, e.g. lg_012.';
COMMENT ON COLUMN local_group.association_id IS 'The association the group belongs to (association).';
COMMENT ON COLUMN local_group.name IS 'Name of the local group.';
COMMENT ON COLUMN local_group.disp IS 'The group''s area: the interregional directorate (DISP) whose establishments it goes to, as in establishment.disp (e.g. "DISP RENNES").';
COMMENT ON COLUMN local_group.contact_role IS 'Organisational role to contact (e.g. responsable des relations extérieures), never a person''s name.';
COMMENT ON COLUMN local_group.email IS 'E-mail address of the group (a shared mailbox, not a person).';
COMMENT ON COLUMN local_group.phone IS 'Telephone number of the group (switchboard, not a person).';
COMMENT ON COLUMN local_group.address IS 'Postal address of the group (street).';
COMMENT ON COLUMN local_group.postal_code IS 'Postal code of the group.';
COMMENT ON COLUMN local_group.city IS 'Town where the group meets.';
COMMENT ON COLUMN local_group.founded_year IS 'Year the group was founded.';
COMMENT ON COLUMN local_group.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN local_group.source_id IS 'Source of the row (source).';

CREATE TABLE local_group_establishment (
    local_group_id    VARCHAR NOT NULL REFERENCES local_group (local_group_id),
    establishment_id  VARCHAR NOT NULL REFERENCES establishment (establishment_id),
    year              INTEGER NOT NULL,
    provenance        VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id         VARCHAR NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (local_group_id, establishment_id, year)
);
COMMENT ON TABLE local_group_establishment IS 'The establishments a local group goes to, year by year (the hand-over pack''s establishments and what changed since the year before).';
COMMENT ON COLUMN local_group_establishment.local_group_id IS 'The local group (local_group).';
COMMENT ON COLUMN local_group_establishment.establishment_id IS 'Establishment the group goes to (establishment).';
COMMENT ON COLUMN local_group_establishment.year IS 'Calendar year.';
COMMENT ON COLUMN local_group_establishment.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN local_group_establishment.source_id IS 'Source of the row (source).';

CREATE TABLE joint_action (
    action_id    VARCHAR PRIMARY KEY,
    action_date  DATE NOT NULL,
    theme        VARCHAR NOT NULL CHECK (theme IN ('prison_days', 'family', 'culture', 'employment', 'health', 'release')),
    title        VARCHAR NOT NULL,
    provenance   VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id    VARCHAR NOT NULL REFERENCES source (source_id)
);
COMMENT ON TABLE joint_action IS 'Joint actions and events led by several associations on a shared date (e.g. the national prisons days in November).';
COMMENT ON COLUMN joint_action.action_id IS 'Identifier, e.g. ja_012.';
COMMENT ON COLUMN joint_action.action_date IS 'Date of the action (first day when it lasts several days).';
COMMENT ON COLUMN joint_action.theme IS 'Theme: prison_days, family, culture, employment, health or release.';
COMMENT ON COLUMN joint_action.title IS 'Title of the action as its organisers name it.';
COMMENT ON COLUMN joint_action.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN joint_action.source_id IS 'Source of the row (source).';

CREATE TABLE joint_action_partner (
    action_id       VARCHAR NOT NULL REFERENCES joint_action (action_id),
    association_id  VARCHAR NOT NULL REFERENCES association (association_id),
    PRIMARY KEY (action_id, association_id)
);
COMMENT ON TABLE joint_action_partner IS 'Associations taking part in each joint action (at least two).';
COMMENT ON COLUMN joint_action_partner.action_id IS 'The joint action (joint_action).';
COMMENT ON COLUMN joint_action_partner.association_id IS 'A partner association (association).';

CREATE TABLE joint_action_establishment (
    action_id         VARCHAR NOT NULL REFERENCES joint_action (action_id),
    establishment_id  VARCHAR NOT NULL REFERENCES establishment (establishment_id),
    PRIMARY KEY (action_id, establishment_id)
);
COMMENT ON TABLE joint_action_establishment IS 'Establishments where each joint action takes place.';
COMMENT ON COLUMN joint_action_establishment.action_id IS 'The joint action (joint_action).';
COMMENT ON COLUMN joint_action_establishment.establishment_id IS 'Establishment (establishment).';

CREATE TABLE institution (
    institution_id    VARCHAR PRIMARY KEY,
    kind              VARCHAR NOT NULL CHECK (kind IN ('dap', 'disp', 'establishment', 'spip', 'ministry', 'local_authority', 'foundation', 'other')),
    name              VARCHAR NOT NULL,
    establishment_id  VARCHAR REFERENCES establishment (establishment_id),
    disp              VARCHAR,
    provenance        VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id         VARCHAR NOT NULL REFERENCES source (source_id),
    CHECK (establishment_id IS NULL OR kind = 'establishment')
);
COMMENT ON TABLE institution IS 'Institutions and funders that sign conventions with associations and collectives: the prison administration (DAP, DISP, establishments, SPIP), ministries, local authorities, foundations.';
COMMENT ON COLUMN institution.institution_id IS 'Identifier, e.g. in_012.';
COMMENT ON COLUMN institution.kind IS 'Kind of institution: dap, disp, establishment, spip, ministry, local_authority (région, département, town), foundation or other.';
COMMENT ON COLUMN institution.name IS 'Name of the institution.';
COMMENT ON COLUMN institution.establishment_id IS 'The establishment (establishment) when kind is establishment; empty otherwise.';
COMMENT ON COLUMN institution.disp IS 'Interregional directorate (DISP) the institution belongs to, as in establishment.disp; empty for a national one.';
COMMENT ON COLUMN institution.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN institution.source_id IS 'Source of the row (source).';

CREATE TABLE institution_convention (
    convention_id   VARCHAR PRIMARY KEY,
    association_id  VARCHAR REFERENCES association (association_id),
    collective_id   VARCHAR REFERENCES association_collective (collective_id),
    institution_id  VARCHAR NOT NULL REFERENCES institution (institution_id),
    object          VARCHAR NOT NULL,
    signatory_role  VARCHAR NOT NULL,
    signed_on       DATE NOT NULL,
    valid_from      DATE NOT NULL,
    valid_to        DATE NOT NULL,
    renewal_on      DATE NOT NULL,
    amount_eur      DECIMAL(14,2) CHECK (amount_eur >= 0),
    renewal_state   VARCHAR NOT NULL CHECK (renewal_state IN ('in_force', 'renewal_in_progress', 'renewed', 'lapsed')),
    provenance      VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id       VARCHAR NOT NULL REFERENCES source (source_id),
    CHECK ((association_id IS NULL) <> (collective_id IS NULL)),
    CHECK (valid_to >= valid_from)
);
COMMENT ON TABLE institution_convention IS 'Conventions binding an association or a collective (exactly one of the two) to an institution or funder: object, signatory, dates, amount if any and renewal state.';
COMMENT ON COLUMN institution_convention.convention_id IS 'Identifier, e.g. ic_031.';
COMMENT ON COLUMN institution_convention.association_id IS 'The association bound (association); empty when a collective signs.';
COMMENT ON COLUMN institution_convention.collective_id IS 'The collective bound (association_collective); empty when an association signs.';
COMMENT ON COLUMN institution_convention.institution_id IS 'The institution or funder (institution).';
COMMENT ON COLUMN institution_convention.object IS 'What the convention is for, in a phrase (e.g. funding of the visit centre, access to the detention).';
COMMENT ON COLUMN institution_convention.signatory_role IS 'Role of the institution''s signatory (e.g. directeur interrégional), never a person''s name.';
COMMENT ON COLUMN institution_convention.signed_on IS 'Date the convention was signed.';
COMMENT ON COLUMN institution_convention.valid_from IS 'First day the convention applies.';
COMMENT ON COLUMN institution_convention.valid_to IS 'Last day the convention applies.';
COMMENT ON COLUMN institution_convention.renewal_on IS 'Date by which the renewal must be decided (the due date of the conventions to renew).';
COMMENT ON COLUMN institution_convention.amount_eur IS 'Amount granted over the convention, EUR; empty when it carries no funding.';
COMMENT ON COLUMN institution_convention.renewal_state IS 'Renewal state: in_force, renewal_in_progress, renewed or lapsed (ended without renewal).';
COMMENT ON COLUMN institution_convention.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN institution_convention.source_id IS 'Source of the row (source).';

-- ---------------------------------------------------------------- the link between associations and operators (illustrative in the demo)

CREATE TABLE operator_partnership (
    partnership_id    VARCHAR PRIMARY KEY,
    association_id    VARCHAR NOT NULL REFERENCES association (association_id),
    operator_id       VARCHAR NOT NULL REFERENCES operator (operator_id),
    since_year        INTEGER NOT NULL,
    ended_year        INTEGER CHECK (ended_year >= since_year),
    purpose           VARCHAR NOT NULL CHECK (purpose IN ('hiring_after_release', 'release_relay', 'training', 'family_support', 'referral')),
    establishment_id  VARCHAR REFERENCES establishment (establishment_id),
    provenance        VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id         VARCHAR NOT NULL REFERENCES source (source_id)
);
COMMENT ON TABLE operator_partnership IS 'Partnerships between an association and an operator holding prison markets (e.g. a cooperative that hires people an association accompanied after release).';
COMMENT ON COLUMN operator_partnership.partnership_id IS 'Identifier, e.g. po_014.';
COMMENT ON COLUMN operator_partnership.association_id IS 'The association (association).';
COMMENT ON COLUMN operator_partnership.operator_id IS 'The operator (operator).';
COMMENT ON COLUMN operator_partnership.since_year IS 'Year the partnership started.';
COMMENT ON COLUMN operator_partnership.ended_year IS 'Year the partnership ended; empty while it lasts.';
COMMENT ON COLUMN operator_partnership.purpose IS 'What it is for: hiring_after_release (the operator hires people the association accompanied), release_relay (support inside continued after release), training (training or work placements), family_support (help to detainees'' families) or referral (each directs people to the other).';
COMMENT ON COLUMN operator_partnership.establishment_id IS 'The establishment (establishment) when the partnership is local to one; empty when it covers all the operator''s markets.';
COMMENT ON COLUMN operator_partnership.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN operator_partnership.source_id IS 'Source of the row (source).';

CREATE TABLE reallocation_beneficiary (
    operator_id     VARCHAR NOT NULL REFERENCES operator (operator_id),
    year            INTEGER NOT NULL,
    destination_id  VARCHAR NOT NULL REFERENCES destination (destination_id),
    association_id  VARCHAR NOT NULL REFERENCES association (association_id),
    amount_eur      DECIMAL(16, 2) NOT NULL CHECK (amount_eur >= 0),
    provenance      VARCHAR NOT NULL CHECK (provenance IN ('real', 'modeled', 'illustrative')),
    source_id       VARCHAR NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (operator_id, year, destination_id, association_id)
);
COMMENT ON TABLE reallocation_beneficiary IS 'The part of a reallocation (operator, year, destination) that funds a named association''s programme. The amounts of one reallocation never exceed its amount_eur (rule reallocation_beneficiary_within.sql); the rest names no association. An import that replaces reallocation sends this file too (with only a header when no association is named).';
COMMENT ON COLUMN reallocation_beneficiary.operator_id IS 'Operator whose result is allocated (operator); with year and destination_id, a row of reallocation.';
COMMENT ON COLUMN reallocation_beneficiary.year IS 'Financial year whose result is allocated.';
COMMENT ON COLUMN reallocation_beneficiary.destination_id IS 'Use of the money (destination), as in the reallocation.';
COMMENT ON COLUMN reallocation_beneficiary.association_id IS 'The association whose programme the money funds (association).';
COMMENT ON COLUMN reallocation_beneficiary.amount_eur IS 'Amount that goes to the association''s programme, EUR.';
COMMENT ON COLUMN reallocation_beneficiary.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN reallocation_beneficiary.source_id IS 'Source of the row (source).';
