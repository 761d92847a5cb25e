// Every word the explorer shows: the API's codes as labels, and the page's own sentences.
// The codes (kinds, target groups, service categories, statuses) are short vocabulary: they are
// given in the platforms' five languages. The page's sentences are in French and English; Spanish,
// Polish and Greek readers get them in English, with the vocabulary in their language.

export const LANGUAGES = { en: "English", fr: "Français", es: "Español", pl: "Polski", el: "Ελληνικά" };

// [en, fr, es, pl, el]
const VOCABULARY = {
  // OrganizationKind
  ASSOCIATION: ["Association", "Association", "Asociación", "Stowarzyszenie", "Σύλλογος"],
  EDUCATION_PROVIDER: ["Education provider", "Organisme de formation", "Centro educativo", "Placówka edukacyjna", "Εκπαιδευτικός φορέας"],
  EMPLOYER: ["Employer", "Employeur", "Empleador", "Pracodawca", "Εργοδότης"],
  FAITH_BASED: ["Faith-based", "Confessionnelle", "Confesional", "Wyznaniowa", "Θρησκευτικός φορέας"],
  FUNDER: ["Funder", "Financeur", "Financiador", "Grantodawca", "Χρηματοδότης"],
  NETWORK: ["Network", "Réseau", "Red", "Sieć", "Δίκτυο"],
  NGO: ["NGO", "ONG", "ONG", "Organizacja pozarządowa", "ΜΚΟ"],
  OTHER: ["Other", "Autre", "Otro", "Inne", "Άλλο"],
  PUBLIC_AUTHORITY: ["Public authority", "Collectivité publique", "Autoridad pública", "Władza publiczna", "Δημόσια αρχή"],
  PUBLIC_SERVICE: ["Public service", "Service public", "Servicio público", "Służba publiczna", "Δημόσια υπηρεσία"],
  VOLUNTEER_GROUP: ["Volunteer group", "Groupe de bénévoles", "Grupo de voluntariado", "Grupa wolontariuszy", "Ομάδα εθελοντών"],
  // TargetGroup
  ASYLUM_SEEKER: ["Asylum seeker", "Demandeur d'asile", "Solicitante de asilo", "Osoba ubiegająca się o azyl", "Αιτών άσυλο"],
  BENEFICIARY_OF_PROTECTION: ["Beneficiary of protection", "Bénéficiaire de protection", "Beneficiario de protección", "Beneficjent ochrony", "Δικαιούχος προστασίας"],
  MIGRANT: ["Migrant", "Migrant", "Migrante", "Migrant", "Μετανάστης"],
  RESETTLED_REFUGEE: ["Resettled refugee", "Réfugié réinstallé", "Refugiado reasentado", "Uchodźca przesiedlony", "Επανεγκατεστημένος πρόσφυγας"],
  UNACCOMPANIED_MINOR: ["Unaccompanied minor", "Mineur non accompagné", "Menor no acompañado", "Małoletni bez opieki", "Ασυνόδευτος ανήλικος"],
  // ServiceCategory
  ADMINISTRATIVE_SUPPORT: ["Administrative support", "Aide administrative", "Apoyo administrativo", "Pomoc administracyjna", "Διοικητική υποστήριξη"],
  CHILD_PROTECTION: ["Child protection", "Protection de l'enfance", "Protección de la infancia", "Ochrona dzieci", "Προστασία παιδιών"],
  EDUCATION: ["Education", "Éducation", "Educación", "Edukacja", "Εκπαίδευση"],
  EMPLOYMENT: ["Employment", "Emploi", "Empleo", "Zatrudnienie", "Απασχόληση"],
  HEALTH: ["Health", "Santé", "Salud", "Zdrowie", "Υγεία"],
  HOUSING: ["Housing", "Logement", "Vivienda", "Mieszkanie", "Στέγαση"],
  LANGUAGE_LEARNING: ["Language learning", "Apprentissage de la langue", "Aprendizaje del idioma", "Nauka języka", "Εκμάθηση γλώσσας"],
  LEGAL_AID: ["Legal aid", "Aide juridique", "Asistencia jurídica", "Pomoc prawna", "Νομική συνδρομή"],
  MENTORING: ["Mentoring", "Parrainage", "Mentoría", "Mentoring", "Καθοδήγηση"],
  MOBILITY: ["Mobility", "Mobilité", "Movilidad", "Mobilność", "Κινητικότητα"],
  RESETTLEMENT_SUPPORT: ["Resettlement support", "Accompagnement à la réinstallation", "Apoyo al reasentamiento", "Wsparcie przesiedlenia", "Υποστήριξη επανεγκατάστασης"],
  SOCIAL_ORIENTATION: ["Social orientation", "Orientation sociale", "Orientación social", "Orientacja społeczna", "Κοινωνικός προσανατολισμός"],
  SPORT_AND_CULTURE: ["Sport and culture", "Sport et culture", "Deporte y cultura", "Sport i kultura", "Αθλητισμός και πολιτισμός"],
  VOCATIONAL_ORIENTATION: ["Vocational orientation", "Orientation professionnelle", "Orientación profesional", "Doradztwo zawodowe", "Επαγγελματικός προσανατολισμός"],
  VOLUNTEER_MOBILIZATION: ["Volunteer mobilization", "Mobilisation de bénévoles", "Movilización de voluntariado", "Mobilizacja wolontariuszy", "Κινητοποίηση εθελοντών"],
  // ReferralStatus
  ACTIVE: ["Active", "Active", "Activa", "Aktywne", "Ενεργή"],
  PILOT: ["Pilot", "Pilote", "Piloto", "Pilotaż", "Πιλοτική"],
  ENDED: ["Ended", "Terminée", "Finalizada", "Zakończone", "Έληξε"],
  // PartnershipKind
  COORDINATION: ["Coordination", "Coordination", "Coordinación", "Koordynacja", "Συντονισμός"],
  FUNDING: ["Funding", "Financement", "Financiación", "Finansowanie", "Χρηματοδότηση"],
  MEMBERSHIP: ["Membership", "Adhésion", "Membresía", "Członkostwo", "Συμμετοχή"],
  PARTNERSHIP: ["Partnership", "Partenariat", "Asociación", "Partnerstwo", "Σύμπραξη"],
};

export const VOCABULARY_GROUPS = {
  kinds: ["ASSOCIATION", "EDUCATION_PROVIDER", "EMPLOYER", "FAITH_BASED", "FUNDER", "NETWORK", "NGO", "OTHER", "PUBLIC_AUTHORITY", "PUBLIC_SERVICE", "VOLUNTEER_GROUP"],
  targetGroups: ["RESETTLED_REFUGEE", "ASYLUM_SEEKER", "BENEFICIARY_OF_PROTECTION", "UNACCOMPANIED_MINOR", "MIGRANT"],
  categories: [
    "LANGUAGE_LEARNING", "VOCATIONAL_ORIENTATION", "HOUSING", "EMPLOYMENT", "EDUCATION", "HEALTH", "LEGAL_AID", "MENTORING", "SPORT_AND_CULTURE",
    "SOCIAL_ORIENTATION", "ADMINISTRATIVE_SUPPORT", "RESETTLEMENT_SUPPORT", "CHILD_PROTECTION", "MOBILITY", "VOLUNTEER_MOBILIZATION", "OTHER",
  ],
};

// The page's sentences: {name} is replaced by the value given.
const SENTENCES = {
  en: {
    title: "Network explorer", skip: "Skip to the view",
    filters: "What to show", region: "Region", allRegions: "All regions", chooseRegion: "This analysis is a region's: choose one in the list above.", targetGroup: "Target group", anyone: "anyone", age: "Age", on: "On", onHint: "The day referrals are walked on; empty: today", show: "Show", language: "Language",
    search: "Search an organization", searchPlaceholder: "name…", searchNoRegion: "{name} (no region: shown with all regions)", noMatch: "No organization matches “{text}”.", searchOutside: "{name} (another region)",
    views: "Views", graphView: "Graph", tableView: "Table", coverageView: "Coverage", cliffsView: "Age cliffs", summaryView: "Network health", changesView: "Roundtables",
    loading: "Loading…", drawing: "Laying out {count} organizations…",
    tooMany: "{count} organizations are more than a browser can draw legibly (at most {most}): choose a region, or use the table, the analyses and the downloads, which hold them all.",
    emptyRegion: "No organizations yet in {region}: import a spreadsheet with npm run import (see the README), then show the region again.",
    unknownRegion: "There is no region “{region}” in Passerelle. Choose one of the list.",
    noRegion: "No region yet: import a spreadsheet with npm run import (see the README).",
    unreachable: "Passerelle cannot be reached ({why}). Check that the server is running, then reload the page.",
    failed: "{what} failed: {why}",
    networkWhat: "Loading the network", organizationWhat: "Loading the organization", pathwaysWhat: "Finding pathways", analysisWhat: "The analysis", downloadWhat: "The download",
    keyTitle: "This Passerelle asks for an API key to read",
    keyExplain: "Its operator turned on READ_REQUIRES_AUTH: every reader needs a key. Ask your platform's coordinator or the server's operator for one (they make them with npm run apikey). The key stays in this tab only, and is forgotten when it closes.",
    keyWrong: "This key was not accepted: {why}. Check it, or ask for a new one.",
    keyForbidden: "This key may not do that: {why}. Ask for a key with the right role.",
    keyEmpty: "Write or paste the key first.", ageInvalid: "The age must be a whole number of years from 0 to 120.",
    keyLabel: "API key", keyUse: "Use this key", keyForget: "Forget the key", keyInUse: "Reading with an API key (this tab only).",
    legend: "Legend", legendReferral: "referral: who sends people to whom (arrow)", legendPilot: "pilot referral (dashed)", legendPartnership: "partnership (no arrow)", legendPathway: "on a pathway found",
    legendFocus: "neighbourhood in focus", legendClosure: "if it closed: the organization (dashed ring), the referrals that end (red, dashed)",
    pathways: "Pathways", from: "From", toCategory: "To a service of", find: "Find pathways", noPathway: "No pathway within 4 referrals for this profile.", pathwaysLeaving: "{count} of them go on outside this region: only their part in it is highlighted.",
    details: "Organization", clickHint: "Click an organization in the graph or the table for its services and referrals.",
    services: "Services", sendsTo: "Sends people to", receivesFrom: "Receives people from", partnerships: "Partnerships", none: "none", colon: ": ", since: "from {date}", until: "until {date}", ages: "{min}–{max} years",
    confirmed: "confirmed {date}", neverConfirmed: "never confirmed", goneNow: "This organization is no longer in Passerelle: show the network again.",
    focus: "Focus on its neighbourhood", hop: "hop", hops: "hops", direction: "direction", both: "both ways", downstream: "where it sends", upstream: "who sends to it", clearFocus: "Show everything",
    whatIfCloses: "What if it closes?", closureTitle: "If {name} closes", closureNothing: "Nothing is lost: every service and route stays reachable.",
    coverageLost: "Services with fewer providers", noLongerOffered: "no longer offered", routesLost: "Routes lost", isolated: "Left without any referral", referralsLost: "Referrals that end",
    table: "Organizations", name: "Name", kind: "Kind", servicesCol: "Services", referralsIn: "Referrals in", referralsOut: "Referrals out", tableCount: "{count} organizations",
    downloads: "Download what is shown", csv: "Table (CSV)", graphml: "GraphML (Gephi, yEd)", gexf: "GEXF (Gephi)", cyjs: "Cytoscape JSON",
    coverageTitle: "Providers of each service, per target group, at age {age}", coverageTitleAny: "Providers of each service, per target group, at any age", coverageFrom: "reachable from", coverageEverywhere: "anywhere in the region", coverageGap: "no provider", coverageSingle: "one provider only",
    coverageCell: "{count} providers", coverageReach: "{reach} reachable",
    cliffsTitle: "Where access breaks when a person gets one year older", cliffsAge: "Ages up to", cliffsNone: "No service is lost between these ages for this target group.",
    cliffsRow: "At {age}, {category}: {before} → {after} providers", cliffsLost: "no longer admitted by {names}",
    organizationsHelp: "in the graph shown", referralsHelp: "that a person of the chosen profile can go through on the day",
    densityHelp: "of all the possible pairs (A sends to B), how many are used", reciprocityHelp: "of the pairs A → B, how many also have B → A",
    componentsHelp: "groups of organizations linked to one another; an organization with no referral is a group on its own",
    largestComponentHelp: "organizations in the largest group", centralizationInHelp: "0: everyone receives about as much; 1: one organization receives everything",
    centralizationOutHelp: "0: everyone sends about as much; 1: one organization sends everything", coverageSeveral: "several providers",
    summaryTitle: "Network health", organizations: "Organizations", referrals: "Walkable referrals", density: "Density", reciprocity: "Reciprocity", components: "Components",
    largestComponent: "Largest component", centralizationIn: "In-degree centralization", centralizationOut: "Out-degree centralization", brokers: "Brokers (their closure splits the network)", isolatedOrgs: "Isolated organizations",
    changesTitle: "What changed between roundtables", changesNoPlatform: "No platform in this region has roundtables recorded.", changesOpened: "Opened", changesClosed: "Closed", changesFirst: "first roundtable recorded", changesHow: "Each roundtable compares the network on its day with the one on the roundtable before: a referral opened and closed between two roundtables shows in neither.",
    changesNoChange: "No referral opened or closed.", meeting: "{title}, {date}",
  },
  fr: {
    title: "Explorateur du réseau", skip: "Aller à la vue",
    filters: "Ce qui est montré", region: "Territoire", allRegions: "Tous les territoires", chooseRegion: "Cette analyse porte sur un territoire : choisissez-en un dans la liste ci-dessus.", targetGroup: "Public", anyone: "tout public", age: "Âge", on: "Au", onHint: "Le jour où les orientations sont suivies ; vide : aujourd'hui", show: "Afficher", language: "Langue",
    search: "Chercher une structure", searchPlaceholder: "nom…", searchNoRegion: "{name} (sans territoire : visible avec tous les territoires)", noMatch: "Aucune structure ne correspond à « {text} ».", searchOutside: "{name} (autre territoire)",
    views: "Vues", graphView: "Graphe", tableView: "Tableau", coverageView: "Couverture", cliffsView: "Ruptures d'âge", summaryView: "Santé du réseau", changesView: "Tables rondes",
    loading: "Chargement…", drawing: "Placement de {count} structures…",
    tooMany: "{count} structures, c'est plus qu'un navigateur ne peut dessiner lisiblement (au plus {most}) : choisissez un territoire, ou utilisez le tableau, les analyses et les téléchargements, qui les contiennent toutes.",
    emptyRegion: "Aucune structure pour l'instant dans {region} : importez un tableur avec npm run import (voir le README), puis affichez à nouveau le territoire.",
    unknownRegion: "Il n'y a pas de territoire « {region} » dans Passerelle. Choisissez-en un dans la liste.",
    noRegion: "Aucun territoire pour l'instant : importez un tableur avec npm run import (voir le README).",
    unreachable: "Passerelle est injoignable ({why}). Vérifiez que le serveur tourne, puis rechargez la page.",
    failed: "{what} a échoué. Passerelle répond (en anglais) : {why}",
    networkWhat: "Le chargement du réseau", organizationWhat: "Le chargement de la structure", pathwaysWhat: "La recherche de parcours", analysisWhat: "L'analyse", downloadWhat: "Le téléchargement",
    keyTitle: "Ce Passerelle demande une clé d'API pour lire",
    keyExplain: "Son exploitant a activé READ_REQUIRES_AUTH : chaque lecteur a besoin d'une clé. Demandez-en une au coordinateur de votre plateforme ou à l'exploitant du serveur (elles se créent avec npm run apikey). La clé reste dans cet onglet seulement et est oubliée à sa fermeture.",
    keyWrong: "Cette clé n'a pas été acceptée. Vérifiez-la ou demandez-en une nouvelle. Passerelle répond (en anglais) : {why}.",
    keyForbidden: "Cette clé ne permet pas cela ; demandez une clé avec le bon rôle. Passerelle répond (en anglais) : {why}.",
    keyEmpty: "Écrivez ou collez d'abord la clé.", ageInvalid: "L'âge doit être un nombre entier d'années, de 0 à 120.",
    keyLabel: "Clé d'API", keyUse: "Utiliser cette clé", keyForget: "Oublier la clé", keyInUse: "Lecture avec une clé d'API (cet onglet seulement).",
    legend: "Légende", legendReferral: "orientation : qui adresse des personnes à qui (flèche)", legendPilot: "orientation pilote (pointillés)", legendPartnership: "partenariat (sans flèche)", legendPathway: "sur un parcours trouvé",
    legendFocus: "voisinage mis en avant", legendClosure: "si elle fermait : la structure (anneau pointillé), les orientations qui prennent fin (rouge, pointillés)",
    pathways: "Parcours", from: "Depuis", toCategory: "Vers un service de", find: "Trouver des parcours", noPathway: "Aucun parcours en 4 orientations au plus pour ce profil.", pathwaysLeaving: "{count} d'entre eux continuent hors de ce territoire : seule leur partie ici est mise en avant.",
    details: "Structure", clickHint: "Cliquez sur une structure du graphe ou du tableau pour voir ses services et ses orientations.",
    services: "Services", sendsTo: "Oriente vers", receivesFrom: "Reçoit de", partnerships: "Partenariats", none: "néant", colon: " : ", since: "depuis le {date}", until: "jusqu'au {date}", ages: "{min}–{max} ans",
    confirmed: "confirmée le {date}", neverConfirmed: "jamais confirmée", goneNow: "Cette structure n'est plus dans Passerelle : affichez à nouveau le réseau.",
    focus: "Voir son voisinage", hop: "saut", hops: "sauts", direction: "sens", both: "les deux sens", downstream: "vers qui elle oriente", upstream: "qui l'oriente", clearFocus: "Tout afficher",
    whatIfCloses: "Et si elle fermait ?", closureTitle: "Si {name} fermait", closureNothing: "Rien n'est perdu : chaque service et chaque parcours reste accessible.",
    coverageLost: "Services qui perdent des structures", noLongerOffered: "plus offert nulle part", routesLost: "Parcours perdus", isolated: "Structures laissées sans orientation", referralsLost: "Orientations qui prennent fin",
    table: "Structures", name: "Nom", kind: "Type", servicesCol: "Services", referralsIn: "Orientations reçues", referralsOut: "Orientations émises", tableCount: "{count} structures",
    downloads: "Télécharger ce qui est montré", csv: "Tableau (CSV)", graphml: "GraphML (Gephi, yEd)", gexf: "GEXF (Gephi)", cyjs: "Cytoscape JSON",
    coverageTitle: "Structures offrant chaque service, par public, à {age} ans", coverageTitleAny: "Structures offrant chaque service, par public, à tout âge", coverageFrom: "accessibles depuis", coverageEverywhere: "partout sur le territoire", coverageGap: "aucune structure", coverageSingle: "une seule structure",
    coverageCell: "{count} structures", coverageReach: "{reach} accessibles",
    cliffsTitle: "Où l'accès se rompt quand une personne prend un an", cliffsAge: "Âges jusqu'à", cliffsNone: "Aucun service n'est perdu entre ces âges pour ce public.",
    cliffsRow: "À {age} ans, {category} : {before} → {after} structures", cliffsLost: "n'est plus accessible chez {names}",
    organizationsHelp: "dans le graphe affiché", referralsHelp: "qu'une personne du profil choisi peut suivre ce jour-là",
    densityHelp: "parmi toutes les paires possibles (A oriente vers B), la part utilisée", reciprocityHelp: "parmi les paires A → B, la part qui a aussi B → A",
    componentsHelp: "groupes de structures reliées entre elles ; une structure sans orientation forme un groupe à elle seule",
    largestComponentHelp: "structures dans le plus grand groupe", centralizationInHelp: "0 : chacune reçoit à peu près autant ; 1 : une seule structure reçoit tout",
    centralizationOutHelp: "0 : chacune oriente à peu près autant ; 1 : une seule structure oriente tout", coverageSeveral: "plusieurs structures",
    summaryTitle: "Santé du réseau", organizations: "Structures", referrals: "Orientations praticables", density: "Densité", reciprocity: "Réciprocité", components: "Composantes",
    largestComponent: "Plus grande composante", centralizationIn: "Centralisation (entrantes)", centralizationOut: "Centralisation (sortantes)", brokers: "Intermédiaires (leur fermeture coupe le réseau)", isolatedOrgs: "Structures isolées",
    changesTitle: "Ce qui a changé entre les tables rondes", changesNoPlatform: "Aucune plateforme de ce territoire n'a de table ronde enregistrée.", changesOpened: "Ouvertes", changesClosed: "Fermées", changesFirst: "première table ronde enregistrée", changesHow: "Chaque table ronde compare le réseau à sa date avec celui de la table ronde précédente : une orientation ouverte puis fermée entre deux tables rondes n'apparaît dans aucune.",
    changesNoChange: "Aucune orientation ouverte ni fermée.", meeting: "{title}, {date}",
  },
};

const INDEX = { en: 0, fr: 1, es: 2, pl: 3, el: 4 };

/** The language to start with: the saved choice, else the browser's first one we have, else English. */
export function startingLanguage(saved, browserLanguages) {
  if (saved && Object.hasOwn(LANGUAGES, saved)) return saved;
  for (const tag of browserLanguages || []) {
    const base = String(tag).toLowerCase().split("-")[0];
    if (Object.hasOwn(LANGUAGES, base)) return base;
  }
  return "en";
}

/** The words of one language: t(key, values) for sentences, label(code) for the API's codes, day(text) for dates. */
export function wordsFor(language) {
  const sentences = SENTENCES[language] || SENTENCES.en;
  const dates = new Intl.DateTimeFormat(language, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  const numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 3 });
  return {
    language,
    t(key, values = {}) {
      const text = (Object.hasOwn(sentences, key) ? sentences[key] : SENTENCES.en[key]) ?? key;
      return text.replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : `{${name}}`));
    },
    label(code) {
      const names = Object.hasOwn(VOCABULARY, code) ? VOCABULARY[code] : undefined;
      if (!names) return String(code).toLowerCase().replace(/_/g, " ");
      return names[INDEX[language] ?? 0];
    },
    /** A calendar day YYYY-MM-DD in the reader's language. */
    day(text) {
      if (!text) return "";
      const date = new Date(`${text}T00:00:00Z`);
      return Number.isNaN(date.getTime()) ? text : dates.format(date);
    },
    number(value) {
      return numbers.format(value);
    },
    /** The CSV separator a spreadsheet in this language expects: ";" where the decimal mark is a comma. */
    csvSeparator: numbers.formatToParts(1.5).find((part) => part.type === "decimal")?.value === "," ? ";" : ",",
  };
}
