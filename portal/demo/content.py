"""Demo content of the portal, in French and English: site name, page tree, contact page, countries.

Plain data read by `portal.demo.loader`. Facts come from the seed documents (the network's 10-year
brochure and the ILO/STEP brochure); the wording is our own. Organizations only: no person's name,
phone number or e-mail address appears here.

BLOCKS are lists of `(block_type, value)` pairs matching `portal.core.blocks.BodyBlock`.
"""

from __future__ import annotations

SITE_NAME = {
    "fr": "Concertation — mutuelles de santé en Afrique",
    "en": "Concertation — mutual health organizations in Africa",
}

# ---------------------------------------------------------------------------------------------
# Home page
# ---------------------------------------------------------------------------------------------

HOME = {
    "fr": {
        "title": "La Concertation",
        "intro": (
            "Depuis 1998, la Concertation fait dialoguer les acteurs qui soutiennent le développement "
            "des mutuelles de santé en Afrique de l’Ouest et du Centre."
        ),
        "body": [
            ("paragraph",
             "<p>Mutuelles et unions de mutuelles, ONG, partenaires sociaux, pouvoirs publics et "
             "agences de coopération y mettent en commun leurs expériences pour rendre les soins "
             "de santé plus accessibles. Sur ce portail, vous trouverez :</p>"
             "<ul>"
             "<li><strong>l’inventaire des mutuelles de santé</strong>, actualisé chaque année et "
             "téléchargeable librement ;</li>"
             "<li><strong>une bibliothèque de ressources</strong> : études, guides, textes "
             "juridiques, actes des forums ;</li>"
             "<li><strong>le bulletin d’information</strong> du réseau et ses brèves ;</li>"
             "<li><strong>l’agenda</strong> des ateliers et formations, ainsi que le "
             "<strong>forum</strong> organisé tous les deux ans.</li>"
             "</ul>"),
            ("heading", "Le réseau en chiffres"),
            ("figures", [
                {"value": "+ de 150", "label": "organisations membres"},
                {"value": "+ de 14", "label": "pays, surtout francophones"},
                {"value": "+ de 1 300", "label": "utilisateurs inscrits"},
                {"value": "1998", "label": "année de création, à Abidjan"},
            ]),
        ],
    },
    "en": {
        "title": "The Concertation",
        "intro": (
            "Since 1998, the Concertation has brought together the actors who support the "
            "development of mutual health organizations in West and Central Africa."
        ),
        "body": [
            ("paragraph",
             "<p>Mutuals and their unions, NGOs, social partners, public authorities and "
             "cooperation agencies pool their experience here to make health care easier to "
             "reach. On this portal you will find:</p>"
             "<ul>"
             "<li><strong>the inventory of mutual health organizations</strong>, updated every "
             "year and free to download;</li>"
             "<li><strong>a resource library</strong>: studies, guides, legal texts, forum "
             "proceedings;</li>"
             "<li><strong>the network's newsletter</strong> and its news flashes;</li>"
             "<li><strong>the calendar</strong> of workshops and training sessions, and the "
             "<strong>forum</strong> held every two years.</li>"
             "</ul>"),
            ("heading", "The network in figures"),
            ("figures", [
                {"value": "150+", "label": "member organizations"},
                {"value": "14+", "label": "countries, mostly French-speaking"},
                {"value": "1,300+", "label": "registered users"},
                {"value": "1998", "label": "year founded, in Abidjan"},
            ]),
        ],
    },
}

# ---------------------------------------------------------------------------------------------
# The network and its sub-pages
# ---------------------------------------------------------------------------------------------

_NETWORK = {
    "key": "network",
    "show_in_menus": True,
    "fr": {
        "slug": "le-reseau",
        "title": "Le réseau",
        "intro": (
            "La Concertation réunit depuis 1998 les organisations qui accompagnent les mutuelles de "
            "santé en Afrique de l’Ouest et du Centre, pour qu’elles partagent leurs expériences et "
            "accordent leurs actions."
        ),
        "body": [
            ("heading", "Pourquoi un réseau ?"),
            ("paragraph",
             "<p>Dans les années 1990, une grande partie de la population africaine restait à "
             "l’écart de toute protection sociale, en particulier dans les campagnes et dans "
             "l’économie informelle des villes. Pour améliorer l’offre de soins tout en assurant "
             "son financement dans la durée, les populations concernées et les partenaires au "
             "développement se sont tournés vers des acteurs autres que l’État : organisations "
             "communautaires, syndicats et organisations d’employeurs, institutions de "
             "microfinance, mutuelles. En associant les traditions d’entraide à la technique de "
             "l’assurance, ces initiatives ouvraient une voie prometteuse pour faciliter l’accès "
             "aux soins et alléger le poids financier de la maladie.</p>"
             "<p>Les mutuelles de cette première génération se sont multipliées rapidement, mais "
             "la plupart restaient petites et manquaient des compétences techniques nécessaires "
             "pour se consolider. Il fallait un lieu où confronter les expériences et organiser "
             "une collaboration efficace entre tous ceux qui les soutiennent : c’est la raison "
             "d’être de la Concertation.</p>"),
            ("heading", "Qu’est-ce qu’une mutuelle de santé ?"),
            ("paragraph",
             "<p>Une mutuelle de santé est un groupement de personnes, à adhésion volontaire et "
             "sans but lucratif, qui organise entre ses membres une protection contre le risque "
             "maladie fondée sur la solidarité. Elle fonctionne selon le principe de "
             "l’assurance : les cotisations versées par tous financent les soins de ceux qui en "
             "ont besoin. Elle se veut ouverte au plus grand nombre et ne refuse personne en "
             "raison de ses revenus, de son âge, de son état de santé, de son origine ou de sa "
             "religion, ni à l’adhésion ni en cours de contrat.</p>"),
            ("heading", "Un réseau et des outils"),
            ("paragraph",
             "<p>La Concertation est d’abord un réseau d’acteurs locaux, nationaux, régionaux et "
             "internationaux : à l’occasion de ses dix ans, en 2008, elle comptait plus de "
             "150 organisations engagées auprès du mouvement mutualiste, dans plus de 14 pays "
             "d’Afrique, francophones pour la plupart. C’est aussi un ensemble d’outils ouverts "
             "à tous :</p>"
             "<ul>"
             "<li>un site internet collaboratif, alimenté par ses propres utilisateurs ;</li>"
             "<li>un inventaire permanent des mutuelles de santé, mis à jour en ligne chaque "
             "année ;</li>"
             "<li>une base documentaire : études, articles, textes juridiques, guides ;</li>"
             "<li>un bulletin d’information, « Le Courrier de la Concertation », publié tous les "
             "quatre mois ;</li>"
             "<li>des ateliers thématiques et un forum réuni tous les deux ans dans un pays "
             "partenaire.</li>"
             "</ul>"),
            ("heading", "Des liens au-delà de l’Afrique"),
            ("paragraph",
             "<p>C’est lors du forum de Dakar, en novembre 2007, qu’est née l’Union africaine de "
             "la mutualité (UAM), à la création de laquelle la Concertation a contribué. L’UAM "
             "fédère les mouvements mutualistes de la quasi-totalité des pays du continent et "
             "leur donne un outil politique commun au service de la protection sociale. Si les "
             "activités de la Concertation visent surtout l’Afrique francophone, des pays "
             "anglophones et lusophones rejoignent peu à peu le réseau.</p>"
             "<p>L’expérience a suscité l’intérêt d’autres continents : le réseau AMIN (Asia "
             "Micro Insurance Network) s’est constitué en Asie et le réseau ACYM (América "
             "Cooperativa y Mutual) en Amérique latine.</p>"),
        ],
    },
    "en": {
        "slug": "the-network",
        "title": "The network",
        "intro": (
            "Since 1998, the Concertation has brought together the organizations that support mutual "
            "health organizations in West and Central Africa, so that they can share experience and "
            "align their work."
        ),
        "body": [
            ("heading", "Why a network?"),
            ("paragraph",
             "<p>In the 1990s, a large share of Africa's population had no social protection at "
             "all, especially in rural areas and in the urban informal economy. To improve health "
             "services while securing their long-term financing, the people concerned and "
             "development partners looked to actors other than the State: community "
             "organizations, trade unions and employers' organizations, microfinance "
             "institutions, mutuals. By combining traditional self-help with the technique of "
             "insurance, these initiatives opened a promising way to make care more accessible "
             "and to soften the financial blow of illness.</p>"
             "<p>This first generation of mutuals multiplied quickly, but most of them remained "
             "small and lacked the technical skills they needed to grow stronger. A place was "
             "needed to compare experiences and to organize effective cooperation among all "
             "those who support them: that is why the Concertation exists.</p>"),
            ("heading", "What is a mutual health organization?"),
            ("paragraph",
             "<p>A mutual health organization is a voluntary, non-profit association of people "
             "that organizes, among its members, protection against the risk of illness based on "
             "solidarity. It works on the insurance principle: the contributions paid by all "
             "finance the care of those who need it. It aims to be open to as many people as "
             "possible and turns no one away because of income, age, health, origin or religion, "
             "neither when they join nor while they are covered.</p>"),
            ("heading", "A network and its tools"),
            ("paragraph",
             "<p>The Concertation is first of all a network of local, national, regional and "
             "international actors: at its tenth anniversary, in 2008, it counted more than "
             "150 organizations committed to the mutual movement, in more than 14 African "
             "countries, most of them French-speaking. It is also a set of tools open to "
             "everyone:</p>"
             "<ul>"
             "<li>a collaborative website, fed by its own users;</li>"
             "<li>a permanent inventory of mutual health organizations, updated online every "
             "year;</li>"
             "<li>a document base: studies, articles, legal texts, guides;</li>"
             "<li>a newsletter, “The Concertation Mail”, published every four months;</li>"
             "<li>thematic workshops and a forum held every two years in a partner country.</li>"
             "</ul>"),
            ("heading", "Links beyond Africa"),
            ("paragraph",
             "<p>The African Mutuality Union (UAM) was founded at the Dakar forum in November "
             "2007, with the Concertation's help. The UAM unites the mutual movements of almost "
             "every country on the continent and gives them a shared political voice for social "
             "protection. Although the Concertation works mainly with French-speaking Africa, "
             "English- and Portuguese-speaking countries are gradually joining the network.</p>"
             "<p>The experience has drawn interest on other continents: the AMIN network (Asia "
             "Micro Insurance Network) was set up in Asia and the ACYM network (América "
             "Cooperativa y Mutual) in Latin America.</p>"),
        ],
    },
}

_HISTORY = {
    "key": "history",
    "show_in_menus": True,
    "fr": {
        "slug": "historique",
        "title": "Historique",
        "intro": (
            "De l’atelier d’Abidjan en 1998 au dixième anniversaire en 2008 : les grandes étapes de "
            "la Concertation."
        ),
        "body": [
            ("paragraph",
             "<p>La Concertation est née d’un constat partagé : les mutuelles de santé africaines, "
             "encore jeunes, avaient besoin d’échanger leurs savoir-faire pour se développer. Le "
             "réseau s’est ensuite construit pas à pas, au rythme de ses forums et de ses "
             "outils.</p>"),
            ("timeline", [
                {"year": 1998, "title": "L’atelier d’Abidjan et la « Plateforme d’Abidjan »",
                 "text": (
                     "En juin, les principaux partenaires nationaux et internationaux des mutuelles "
                     "se retrouvent à Abidjan, en Côte d’Ivoire. Après avoir fait le bilan des "
                     "expériences menées en Afrique de l’Ouest et du Centre, ils adoptent un texte "
                     "fondateur, la « Plateforme d’Abidjan », qui énonce les principes de stratégies "
                     "d’appui cohérentes. Pour lui donner suite, ils créent une structure "
                     "permanente d’échange : la Concertation."
                 )},
                {"year": 1999, "title": "Lancement du « Courrier de la Concertation »",
                 "text": (
                     "Le bulletin d’information du réseau paraît désormais tous les quatre mois. "
                     "Gratuit, diffusé par courrier électronique et sur le site, il réunit dossiers "
                     "thématiques, entretiens et retours d’expérience."
                 )},
                {"year": 2000, "title": "Premier forum, à Dakar",
                 "text": (
                     "En septembre, la capitale sénégalaise accueille la première grande rencontre "
                     "du réseau, qui réunit 80 participants."
                 )},
                {"year": 2002, "title": "Deuxième forum, à Dakar",
                 "text": (
                     "En septembre, le forum rassemble 190 participants de 24 nationalités."
                 )},
                {"year": 2004, "title": "Troisième forum, à Bamako",
                 "text": (
                     "Organisé au Mali, le forum connaît une forte affluence : 400 participants "
                     "y prennent part."
                 )},
                {"year": 2007, "title": "L’inventaire passe en ligne",
                 "text": (
                     "Réalisé jusque-là tous les trois ans par enquête, l’inventaire des mutuelles "
                     "devient permanent. Chaque année, les mutuelles actualisent elles-mêmes leurs "
                     "données sur le site, qui en tire automatiquement des tableaux de synthèse "
                     "par pays."
                 )},
                {"year": 2007, "title": "Quatrième forum, à Dakar",
                 "text": (
                     "Les 26 et 27 novembre, quelque 300 participants se réunissent à Dakar. Pour "
                     "la première fois, des pays anglophones (Ghana, Kenya, Libéria, Ouganda, "
                     "Tanzanie) et lusophones, comme le Cap-Vert, sont représentés."
                 )},
                {"year": 2007, "title": "Naissance de l’Union africaine de la mutualité",
                 "text": (
                     "Le forum de Dakar voit la création de l’UAM, soutenue par la Concertation. "
                     "Elle fédère les mouvements mutualistes de la quasi-totalité des pays "
                     "africains et leur offre un outil politique commun."
                 )},
                {"year": 2008, "title": "Dix ans de Concertation",
                 "text": (
                     "Le réseau compte plus de 150 organisations, dans plus de 14 pays, et plus de "
                     "1 300 utilisateurs inscrits. Il est reconnu comme un instrument souple et "
                     "efficace de collaboration entre partenaires au développement, organisations "
                     "de l’économie informelle, partenaires sociaux et institutions publiques."
                 )},
            ]),
            ("heading", "Les forums en chiffres"),
            ("figures", [
                {"value": "80", "label": "participants à Dakar en 2000"},
                {"value": "190", "label": "participants à Dakar en 2002"},
                {"value": "400", "label": "participants à Bamako en 2004"},
                {"value": "300", "label": "participants environ à Dakar en 2007"},
            ]),
            ("paragraph",
             "<p>Le forum de 2007 a posé trois questions : la mise en réseau des mutuelles "
             "est-elle une stratégie pertinente pour améliorer l’accès aux soins, étendre la "
             "protection sociale et lutter contre la pauvreté ? Comment les mutuelles "
             "gagnent-elles en crédibilité et en reconnaissance ? Quel rôle l’État peut-il jouer "
             "pour soutenir le mouvement mutualiste et ses réseaux ? Les actes de chaque forum "
             "sont publiés et consultables dans la bibliothèque du portail.</p>"),
        ],
    },
    "en": {
        "slug": "history",
        "title": "History",
        "intro": (
            "From the Abidjan workshop in 1998 to the tenth anniversary in 2008: the milestones of "
            "the Concertation."
        ),
        "body": [
            ("paragraph",
             "<p>The Concertation grew out of a shared observation: Africa's young mutual health "
             "organizations needed to exchange know-how in order to develop. The network then "
             "took shape step by step, forum after forum and tool after tool.</p>"),
            ("timeline", [
                {"year": 1998, "title": "The Abidjan workshop and the “Abidjan Platform”",
                 "text": (
                     "In June, the main national and international partners of the mutuals meet in "
                     "Abidjan, Côte d'Ivoire. Having reviewed the experience gained in West and "
                     "Central Africa, they adopt a founding text, the “Abidjan Platform”, which "
                     "sets out the principles of consistent support strategies. To follow it up, "
                     "they create a permanent forum for exchange: the Concertation."
                 )},
                {"year": 1999, "title": "Launch of “The Concertation Mail”",
                 "text": (
                     "From now on, the network's newsletter comes out every four months. Free of "
                     "charge, sent by e-mail and posted on the website, it brings together "
                     "thematic features, interviews and lessons from the field."
                 )},
                {"year": 2000, "title": "First forum, in Dakar",
                 "text": (
                     "In September, Senegal's capital hosts the network's first large gathering, "
                     "with 80 participants."
                 )},
                {"year": 2002, "title": "Second forum, in Dakar",
                 "text": (
                     "In September, the forum brings together 190 participants of 24 "
                     "nationalities."
                 )},
                {"year": 2004, "title": "Third forum, in Bamako",
                 "text": (
                     "Held in Mali, the forum draws a large audience: 400 people take part."
                 )},
                {"year": 2007, "title": "The inventory goes online",
                 "text": (
                     "Until then carried out by survey every three years, the inventory of mutuals "
                     "becomes permanent. Every year, the mutuals update their own data on the "
                     "website, which automatically produces summary tables by country."
                 )},
                {"year": 2007, "title": "Fourth forum, in Dakar",
                 "text": (
                     "On 26 and 27 November, some 300 participants meet in Dakar. For the first "
                     "time, English-speaking countries (Ghana, Kenya, Liberia, Tanzania, Uganda) "
                     "and Portuguese-speaking ones, such as Cape Verde, take part."
                 )},
                {"year": 2007, "title": "Birth of the African Mutuality Union",
                 "text": (
                     "The Dakar forum sees the creation of the UAM, backed by the Concertation. It "
                     "unites the mutual movements of almost every African country and gives them "
                     "a shared political instrument."
                 )},
                {"year": 2008, "title": "Ten years of the Concertation",
                 "text": (
                     "The network counts more than 150 organizations in more than 14 countries, "
                     "and more than 1,300 registered users. It is recognized as a flexible and "
                     "effective instrument of cooperation between development partners, informal "
                     "economy organizations, social partners and public institutions."
                 )},
            ]),
            ("heading", "The forums in figures"),
            ("figures", [
                {"value": "80", "label": "participants in Dakar, 2000"},
                {"value": "190", "label": "participants in Dakar, 2002"},
                {"value": "400", "label": "participants in Bamako, 2004"},
                {"value": "300", "label": "participants (approx.) in Dakar, 2007"},
            ]),
            ("paragraph",
             "<p>The 2007 forum asked three questions. Is networking mutuals a sound strategy "
             "for improving access to care, extending social protection and fighting poverty? "
             "How do mutuals earn credibility and recognition? What part can the State play in "
             "supporting the mutual movement and its networks? The proceedings of every forum "
             "are published and can be found in the portal's library.</p>"),
        ],
    },
}

_PROMOTERS = {
    "key": "promoters",
    "show_in_menus": True,
    "fr": {
        "slug": "promoteurs",
        "title": "Les promoteurs",
        "intro": (
            "Organisations mutualistes et agences de coopération, les promoteurs financent la "
            "Concertation et lui apportent leur appui technique."
        ),
        "body": [
            ("paragraph",
             "<p>Les promoteurs sont des organisations qui mènent elles-mêmes des actions "
             "d’appui et de coopération auprès des mutuelles de santé en Afrique. Ils assurent "
             "le financement du réseau et l’aident de leur expertise. Réunis au sein de "
             "l’<strong>assemblée des promoteurs</strong>, ils en fixent régulièrement les "
             "missions, le programme d’activités et le budget annuel ; la Concertation leur "
             "offre en retour un cadre pour se rencontrer et coordonner leurs propres "
             "interventions.</p>"),
            ("organizations", [
                {"name": "Union nationale des mutualités socialistes", "acronym": "UNMS",
                 "description": (
                     "Union belge de mutualités, engagée dans la coopération avec les mouvements "
                     "mutualistes du Sud."
                 ), "url": ""},
                {"name": "Association internationale de la mutualité", "acronym": "AIM",
                 "description": (
                     "Fédération internationale qui rassemble des organismes mutualistes "
                     "d’assurance maladie et défend leurs intérêts communs."
                 ), "url": ""},
                {"name": "Programme STEP du Bureau international du Travail", "acronym": "BIT/STEP",
                 "description": (
                     "Programme « Stratégies et techniques contre l’exclusion sociale et la "
                     "pauvreté » du BIT, qui appuie l’extension de la protection sociale, "
                     "notamment par la micro-assurance santé et la production de guides et "
                     "d’outils de gestion."
                 ), "url": ""},
                {"name": "Coopération technique allemande — projet assurance maladie",
                 "acronym": "GTZ",
                 "description": (
                     "Agence allemande de coopération, qui soutient le réseau à travers son projet "
                     "consacré à l’assurance maladie."
                 ), "url": ""},
                {"name": "Mutualité de la fonction publique", "acronym": "MFP",
                 "description": (
                     "Organisation mutualiste française des agents publics, partenaire du "
                     "mouvement mutualiste africain."
                 ), "url": ""},
                {"name": "Mutuelle générale de l’Éducation nationale", "acronym": "MGEN",
                 "description": (
                     "Mutuelle française des personnels de l’Éducation nationale, qui prend part "
                     "à l’appui aux mutuelles africaines."
                 ), "url": ""},
                {"name": "Agence des États-Unis pour le développement international",
                 "acronym": "USAID",
                 "description": (
                     "Agence de coopération américaine, qui a accompagné le réseau par ses "
                     "programmes PHRplus puis HS 2020."
                 ), "url": ""},
                {"name": "Action for West Africa Region", "acronym": "Aware/RH",
                 "description": (
                     "Programme régional d’appui à la santé de la reproduction en Afrique de "
                     "l’Ouest, partenaire de la Concertation."
                 ), "url": ""},
                {"name": "Solidarité mondiale", "acronym": "WSM",
                 "description": (
                     "ONG belge qui soutient les organisations sociales et les mutuelles de ses "
                     "partenaires dans les pays du Sud."
                 ), "url": ""},
            ]),
            ("paragraph",
             "<p>Cette liste reflète la composition de l’assemblée des promoteurs lors du "
             "dixième anniversaire du réseau, en 2008. Les organisations qui souhaitent "
             "soutenir la Concertation peuvent prendre contact avec le Secrétariat "
             "technique.</p>"),
        ],
    },
    "en": {
        "slug": "promoters",
        "title": "The promoters",
        "intro": (
            "Mutual organizations and cooperation agencies, the promoters fund the Concertation and "
            "give it technical support."
        ),
        "body": [
            ("paragraph",
             "<p>The promoters are organizations that themselves carry out support and "
             "cooperation work with mutual health organizations in Africa. They fund the "
             "network and help it with their expertise. Meeting as the <strong>promoters' "
             "assembly</strong>, they regularly set its missions, its work programme and its "
             "annual budget; in return, the Concertation gives them a setting in which to meet "
             "and coordinate their own activities.</p>"),
            ("organizations", [
                {"name": "National Union of Socialist Mutualities", "acronym": "UNMS",
                 "description": (
                     "Belgian union of mutual societies, involved in cooperation with mutual "
                     "movements in the South."
                 ), "url": ""},
                {"name": "International Association of Mutual Benefit Societies", "acronym": "AIM",
                 "description": (
                     "International federation that brings together mutual health insurance "
                     "bodies and stands up for their common interests."
                 ), "url": ""},
                {"name": "STEP Programme of the International Labour Office", "acronym": "ILO/STEP",
                 "description": (
                     "The ILO's “Strategies and Tools against social Exclusion and Poverty” "
                     "programme, which supports the extension of social protection, notably "
                     "through health microinsurance and the production of guides and management "
                     "tools."
                 ), "url": ""},
                {"name": "German Technical Cooperation — health insurance project",
                 "acronym": "GTZ",
                 "description": (
                     "German cooperation agency, which supports the network through its project "
                     "on health insurance."
                 ), "url": ""},
                {"name": "Mutualité de la fonction publique", "acronym": "MFP",
                 "description": (
                     "French mutual organization of public servants and a partner of the African "
                     "mutual movement."
                 ), "url": ""},
                {"name": "Mutuelle générale de l'Éducation nationale", "acronym": "MGEN",
                 "description": (
                     "French mutual of national education staff, which takes part in supporting "
                     "African mutuals."
                 ), "url": ""},
                {"name": "United States Agency for International Development", "acronym": "USAID",
                 "description": (
                     "US cooperation agency, which has backed the network through its PHRplus "
                     "and later HS 2020 programmes."
                 ), "url": ""},
                {"name": "Action for West Africa Region", "acronym": "Aware/RH",
                 "description": (
                     "Regional programme supporting reproductive health in West Africa and a "
                     "partner of the Concertation."
                 ), "url": ""},
                {"name": "World Solidarity", "acronym": "WSM",
                 "description": (
                     "Belgian NGO that supports social organizations and mutuals run by its "
                     "partners in countries of the South."
                 ), "url": ""},
            ]),
            ("paragraph",
             "<p>This list reflects the membership of the promoters' assembly at the network's "
             "tenth anniversary, in 2008. Organizations wishing to support the Concertation are "
             "welcome to contact the Technical Secretariat.</p>"),
        ],
    },
}

_ORGANS = {
    "key": "organs",
    "show_in_menus": True,
    "fr": {
        "slug": "organes",
        "title": "Les organes du réseau",
        "intro": (
            "Une organisation légère et peu coûteuse : quelques instances, du niveau international "
            "jusqu’à chaque pays, font vivre la Concertation."
        ),
        "body": [
            ("paragraph",
             "<p>La Concertation a été pensée comme un instrument souple, efficace et sobre en "
             "moyens. Son fonctionnement repose sur cinq types d’instances complémentaires.</p>"),
            ("heading", "L’assemblée des promoteurs"),
            ("paragraph",
             "<p>Elle réunit les organisations qui financent le réseau et l’appuient "
             "techniquement. Lors de ses réunions régulières, elle définit les missions de la "
             "Concertation, arrête son programme d’actions et vote son budget annuel. Elle "
             "permet aussi aux promoteurs de mieux coordonner leurs interventions auprès des "
             "mutuelles.</p>"),
            ("heading", "Le comité de pilotage"),
            ("paragraph",
             "<p>Composé de quelques membres de l’assemblée des promoteurs, il veille à la mise "
             "en œuvre des décisions de celle-ci et suit le travail du Secrétariat technique "
             "entre deux assemblées.</p>"),
            ("heading", "Le Secrétariat technique"),
            ("paragraph",
             "<p>Installé à Dakar, au Sénégal, il gère les activités quotidiennes du réseau : "
             "il anime le site, conduit chaque année la campagne d’inventaire, publie le bulletin "
             "et les brèves, prépare les forums. Il est le point de contact permanent entre les "
             "promoteurs, les mutuelles, leurs structures d’appui et, plus largement, tous les "
             "utilisateurs de la Concertation.</p>"),
            ("heading", "Les comités nationaux de concertation"),
            ("paragraph",
             "<p>Dans chaque pays, la Concertation encourage la création d’un comité qui "
             "rassemble les acteurs nationaux et internationaux du secteur mutualiste. Ces "
             "comités, de taille réduite, sont animés par le représentant national du réseau ou "
             "par un autre acteur du pays. Ils servent de cadre d’échange pour bâtir des plans "
             "d’action concertés et favoriser un développement harmonieux des mutuelles à "
             "l’échelle nationale.</p>"),
            ("heading", "Les représentants nationaux (points focaux)"),
            ("paragraph",
             "<p>Dans chaque pays, une organisation sert de relais entre la Concertation, les "
             "mutuelles et leurs structures d’appui. Elle fait connaître les outils du réseau "
             "— site, bulletin, inventaire — et informe en retour le Secrétariat des évolutions "
             "du secteur dans le pays. Elle aide à organiser les rencontres proposées par la "
             "Concertation, encourage les échanges d’expériences entre mutuelles et, sur ce "
             "portail, vérifie et valide les données d’inventaire de son pays.</p>"),
        ],
    },
    "en": {
        "slug": "governing-bodies",
        "title": "Governing bodies",
        "intro": (
            "A light, low-cost organization: a handful of bodies, from the international level down "
            "to each country, keep the Concertation running."
        ),
        "body": [
            ("paragraph",
             "<p>The Concertation was designed as a flexible, effective instrument that needs "
             "few resources. It relies on five kinds of bodies that complement one another.</p>"),
            ("heading", "The promoters' assembly"),
            ("paragraph",
             "<p>It brings together the organizations that fund the network and support it "
             "technically. At its regular meetings it defines the Concertation's missions, "
             "decides on its programme of activities and adopts its annual budget. It also helps "
             "the promoters coordinate their own work with mutuals.</p>"),
            ("heading", "The steering committee"),
            ("paragraph",
             "<p>Made up of a few members of the promoters' assembly, it makes sure the "
             "assembly's decisions are carried out and oversees the work of the Technical "
             "Secretariat between meetings of the assembly.</p>"),
            ("heading", "The Technical Secretariat"),
            ("paragraph",
             "<p>Based in Dakar, Senegal, it runs the network from day to day: it manages the "
             "website, conducts the yearly inventory campaign, publishes the newsletter and news "
             "flashes and prepares the forums. It is the permanent point of contact between the "
             "promoters, the mutuals, their support organizations and, more broadly, everyone "
             "who uses the Concertation.</p>"),
            ("heading", "National concertation committees"),
            ("paragraph",
             "<p>In each country, the Concertation encourages the creation of a committee of "
             "the national and international actors working with mutuals. These small "
             "committees are led by the network's national representative or by another actor "
             "in the country. They offer a setting for exchange in which to draw up joint action "
             "plans and help mutuals develop in a coordinated way across the country.</p>"),
            ("heading", "National representatives (focal points)"),
            ("paragraph",
             "<p>In each country, one organization acts as the link between the Concertation, "
             "the mutuals and their support organizations. It spreads the network's tools — "
             "website, newsletter, inventory — and in turn keeps the Secretariat informed of "
             "developments in the country's mutual sector. It helps organize the meetings the "
             "Concertation proposes, encourages mutuals to share experience and, on this portal, "
             "checks and validates its country's inventory data.</p>"),
        ],
    },
}

_NETWORK["children"] = [_HISTORY, _PROMOTERS, _ORGANS]

# ---------------------------------------------------------------------------------------------
# Legal notice and privacy policy (footer pages)
# ---------------------------------------------------------------------------------------------

_LEGAL = {
    "key": "legal",
    "show_in_menus": False,
    "fr": {
        "slug": "mentions-legales",
        "title": "Mentions légales",
        "intro": "Qui publie ce portail, qui l’héberge et comment réutiliser ses contenus.",
        "body": [
            ("heading", "Éditeur"),
            ("paragraph",
             "<p>Ce portail est édité par le Secrétariat technique de la Concertation entre les "
             "acteurs du développement des mutuelles de santé en Afrique de l’Ouest et du "
             "Centre, BP 414, Dakar (Sénégal). Le Secrétariat technique assure la direction de "
             "la publication.</p>"),
            ("heading", "Hébergement"),
            ("paragraph",
             "<p>Informations à compléter par le Secrétariat technique : nom, adresse et "
             "coordonnées de l’hébergeur du portail.</p>"),
            ("heading", "Données de l’inventaire"),
            ("paragraph",
             "<p>Les tableaux de synthèse et la base de données de l’inventaire des mutuelles "
             "de santé peuvent être consultés, téléchargés et réutilisés gratuitement, pour une "
             "étude, un article ou un travail de recherche, à la seule condition de citer la "
             "source : « Concertation, inventaire des mutuelles de santé », suivie de l’année "
             "des données. Les fichiers publics ne contiennent aucune donnée personnelle.</p>"),
            ("heading", "Documents et articles"),
            ("paragraph",
             "<p>Les documents de la bibliothèque (études, guides, actes, textes juridiques…) "
             "restent la propriété de leurs auteurs et éditeurs. Sauf mention contraire, leur "
             "reproduction au-delà de courts extraits cités avec leur source suppose l’accord "
             "de ces derniers. Les articles publiés par les membres du réseau n’engagent que "
             "leurs auteurs.</p>"),
            ("heading", "Liens et signalements"),
            ("paragraph",
             "<p>Le portail renvoie vers des sites extérieurs dont la Concertation ne contrôle "
             "pas le contenu. Pour signaler une erreur ou un contenu qui pose problème, "
             "écrivez au Secrétariat technique au moyen de la page de contact.</p>"),
        ],
    },
    "en": {
        "slug": "legal-notice",
        "title": "Legal notice",
        "intro": "Who publishes this portal, who hosts it and how its content may be reused.",
        "body": [
            ("heading", "Publisher"),
            ("paragraph",
             "<p>This portal is published by the Technical Secretariat of the Concertation "
             "between actors in the development of mutual health organizations in West and "
             "Central Africa, BP 414, Dakar (Senegal). The Technical Secretariat is responsible "
             "for the publication.</p>"),
            ("heading", "Hosting"),
            ("paragraph",
             "<p>To be completed by the Technical Secretariat: name, address and contact "
             "details of the portal's hosting provider.</p>"),
            ("heading", "Inventory data"),
            ("paragraph",
             "<p>The summary tables and the database of the inventory of mutual health "
             "organizations may be consulted, downloaded and reused free of charge, for a "
             "study, an article or research, on the sole condition that the source is cited: "
             "“Concertation, inventory of mutual health organizations”, followed by the year of "
             "the data. The public files contain no personal data.</p>"),
            ("heading", "Documents and articles"),
            ("paragraph",
             "<p>The documents in the library (studies, guides, proceedings, legal texts…) "
             "remain the property of their authors and publishers. Unless stated otherwise, "
             "reproducing more than short quotations with their source requires their "
             "permission. Articles published by network members are the sole responsibility of "
             "their authors.</p>"),
            ("heading", "Links and reports"),
            ("paragraph",
             "<p>The portal links to external websites whose content the Concertation does not "
             "control. To report an error or a problem with any content, write to the Technical "
             "Secretariat through the contact page.</p>"),
        ],
    },
}

_PRIVACY = {
    "key": "privacy",
    "show_in_menus": False,
    "fr": {
        "slug": "donnees-personnelles",
        "title": "Données personnelles",
        "intro": (
            "Quelles données personnelles le portail conserve, pourquoi, pendant combien de temps, "
            "et comment exercer vos droits."
        ),
        "body": [
            ("heading", "Les données que nous conservons"),
            ("paragraph",
             "<ul>"
             "<li><strong>Votre compte</strong> : nom, adresse électronique, organisation, "
             "pays, langues et centres d’intérêt.</li>"
             "<li><strong>Les personnes de contact des mutuelles</strong> : nom, fonction et "
             "coordonnées, saisis avec les données d’inventaire par la mutuelle ou sa "
             "structure d’appui.</li>"
             "<li><strong>Les messages</strong> envoyés au moyen du formulaire de contact.</li>"
             "</ul>"),
            ("heading", "Pourquoi"),
            ("paragraph",
             "<p>Ces données servent uniquement à gérer votre compte et vos droits de "
             "publication, à vous envoyer le bulletin et les brèves si vous y êtes abonné, à "
             "répondre à vos messages et à permettre au Secrétariat technique et aux points "
             "focaux de joindre les mutuelles pour vérifier leurs données. Elles ne sont ni "
             "vendues ni cédées à des tiers.</p>"),
            ("heading", "Ce qui n’est jamais publié"),
            ("paragraph",
             "<p>Les coordonnées des personnes de contact n’apparaissent jamais sur les pages "
             "publiques du portail ni dans les fichiers téléchargeables de l’inventaire. Seuls "
             "le Secrétariat technique, le point focal du pays et les gestionnaires de la "
             "mutuelle concernée ou de sa structure d’appui y ont accès.</p>"),
            ("heading", "Durée de conservation"),
            ("paragraph",
             "<p>Les données de votre compte sont conservées tant que celui-ci reste ouvert et "
             "effacées au plus tard trois mois après sa fermeture. Les coordonnées d’une "
             "personne de contact sont remplacées dès qu’elles sont mises à jour et supprimées "
             "lorsque la mutuelle quitte l’inventaire. Les messages du formulaire de contact "
             "sont conservés un an.</p>"),
            ("heading", "Vos droits"),
            ("paragraph",
             "<p>Vous pouvez modifier vous-même la plupart de vos informations depuis votre "
             "profil et vous désabonner du bulletin à tout moment. Depuis votre profil, « Mes "
             "données » montre tout ce que le portail conserve à votre sujet et le télécharge "
             "(fichier JSON), et « Supprimer mon compte » efface votre compte, votre profil, vos "
             "adresses, vos préférences de brèves et vos inscriptions aux événements (une place "
             "libérée revient à la personne suivante sur la liste d’attente). Les articles que "
             "vous avez publiés restent en ligne, signés « ancien membre » ; les versions des "
             "déclarations annuelles que vous avez saisies restent dans leur historique, sans "
             "votre nom ; votre abonnement au bulletin est supprimé si vous le demandez. Le "
             "Secrétariat technique supprime aussi un compte sur demande écrite (BP 414, Dakar, "
             "Sénégal, ou la page de contact).</p>"),
            ("heading", "Cookies"),
            ("paragraph",
             "<p>Le portail n’utilise que des cookies techniques : un cookie de session, qui "
             "vous garde connecté, un cookie de sécurité contre la falsification des "
             "formulaires (CSRF) et un cookie qui mémorise votre langue. Aucun cookie de "
             "suivi, de mesure d’audience par un tiers ou de publicité n’est déposé.</p>"),
        ],
    },
    "en": {
        "slug": "privacy",
        "title": "Privacy",
        "intro": (
            "What personal data the portal keeps, why, for how long, and how to exercise your "
            "rights."
        ),
        "body": [
            ("heading", "The data we keep"),
            ("paragraph",
             "<ul>"
             "<li><strong>Your account</strong>: name, e-mail address, organization, country, "
             "languages and interests.</li>"
             "<li><strong>Contact persons of mutuals</strong>: name, position and contact "
             "details, entered with the inventory data by the mutual or its support "
             "organization.</li>"
             "<li><strong>Messages</strong> sent through the contact form.</li>"
             "</ul>"),
            ("heading", "Why"),
            ("paragraph",
             "<p>This data is used only to manage your account and your publishing rights, to "
             "send you the newsletter and news flashes if you have subscribed, to answer your "
             "messages, and to let the Technical Secretariat and focal points reach the mutuals "
             "to check their data. It is neither sold nor passed on to third parties.</p>"),
            ("heading", "What is never published"),
            ("paragraph",
             "<p>The details of contact persons never appear on the portal's public pages or "
             "in the downloadable inventory files. Only the Technical Secretariat, the country's "
             "focal point and the managers of the mutual concerned or of its support "
             "organization can see them.</p>"),
            ("heading", "How long"),
            ("paragraph",
             "<p>Your account data is kept for as long as the account is open and erased no "
             "later than three months after it is closed. A contact person's details are "
             "replaced as soon as they are updated and deleted when the mutual leaves the "
             "inventory. Messages from the contact form are kept for one year.</p>"),
            ("heading", "Your rights"),
            ("paragraph",
             "<p>You can change most of your information yourself from your profile and "
             "unsubscribe from the newsletter at any time. From your profile, “My data” shows "
             "everything the portal keeps about you and downloads it (a JSON file), and “Delete my "
             "account” erases your account, profile, addresses, flash news settings and event "
             "registrations (a seat you free goes to the next person on the waiting list). "
             "Articles you published stay online, signed “former member”; the versions of yearly "
             "returns you entered stay in their history, without your name; your newsletter "
             "subscription is deleted if you ask. The Technical Secretariat also deletes an account "
             "on written request (BP 414, Dakar, Senegal, or the contact page).</p>"),
            ("heading", "Cookies"),
            ("paragraph",
             "<p>The portal uses technical cookies only: a session cookie that keeps you "
             "signed in, a security cookie against cross-site request forgery (CSRF) and a "
             "cookie that remembers your language. No tracking, third-party analytics or "
             "advertising cookies are set.</p>"),
        ],
    },
}

PAGES = [_NETWORK, _LEGAL, _PRIVACY]

# ---------------------------------------------------------------------------------------------
# Contact page (a form page; the form fields are defined in the loader)
# ---------------------------------------------------------------------------------------------

CONTACT = {
    "fr": {
        "slug": "contact",
        "title": "Contact",
        "intro": (
            "Une question sur le réseau, l’inventaire ou la bibliothèque ? Écrivez au Secrétariat "
            "technique de la Concertation au moyen de ce formulaire."
        ),
        "address": (
            "<p><strong>Secrétariat technique de la Concertation</strong><br/>"
            "BP 414<br/>Dakar, Sénégal</p>"
        ),
        "thank_you": (
            "Merci, votre message a bien été envoyé. Le Secrétariat technique vous répondra dans "
            "les meilleurs délais."
        ),
    },
    "en": {
        "slug": "contact",
        "title": "Contact",
        "intro": (
            "A question about the network, the inventory or the library? Write to the Technical "
            "Secretariat of the Concertation using this form."
        ),
        "address": (
            "<p><strong>Technical Secretariat of the Concertation</strong><br/>"
            "BP 414<br/>Dakar, Senegal</p>"
        ),
        "thank_you": (
            "Thank you, your message has been sent. The Technical Secretariat will reply as soon "
            "as possible."
        ),
    },
}

# ---------------------------------------------------------------------------------------------
# Countries with a focal point (organizations only; the names of persons are never published)
# ---------------------------------------------------------------------------------------------

COUNTRIES = [
    {"code": "SN", "name_fr": "Sénégal", "name_en": "Senegal", "currency": "XOF",
     "focal_point": "Secrétariat technique de la Concertation"},
    {"code": "ML", "name_fr": "Mali", "name_en": "Mali", "currency": "XOF",
     "focal_point": "Union technique de la mutualité malienne (UTM)"},
    {"code": "MR", "name_fr": "Mauritanie", "name_en": "Mauritania", "currency": "MRU",
     "focal_point": "Caritas (Dar Naïm)"},
    {"code": "GN", "name_fr": "Guinée", "name_en": "Guinea", "currency": "GNF",
     "focal_point": "CIDR / GTZ"},
    {"code": "CM", "name_fr": "Cameroun", "name_en": "Cameroon", "currency": "XAF",
     "focal_point": "CIDR / GTZ / Mutuelle de Nylon"},
    {"code": "BJ", "name_fr": "Bénin", "name_en": "Benin", "currency": "XOF",
     "focal_point": "Alliance Santé / WSM / Maison de la mutualité"},
    {"code": "TG", "name_fr": "Togo", "name_en": "Togo", "currency": "XOF",
     "focal_point": "Louvain Développement"},
    {"code": "CI", "name_fr": "Côte d’Ivoire", "name_en": "Côte d'Ivoire", "currency": "XOF",
     "focal_point": "SIGEM"},
    {"code": "BF", "name_fr": "Burkina Faso", "name_en": "Burkina Faso", "currency": "XOF",
     "focal_point": (
         "Ministère du Travail et de la Sécurité sociale — Direction de la protection sociale"
     )},
    {"code": "CD", "name_fr": "République démocratique du Congo",
     "name_en": "Democratic Republic of the Congo", "currency": "CDF",
     "focal_point": "BIT/STEP en RDC"},
    {"code": "RW", "name_fr": "Rwanda", "name_en": "Rwanda", "currency": "RWF",
     "focal_point": "GTZ"},
    {"code": "BI", "name_fr": "Burundi", "name_en": "Burundi", "currency": "BIF",
     "focal_point": "Mutualité de la fonction publique"},
    {"code": "NE", "name_fr": "Niger", "name_en": "Niger", "currency": "XOF",
     "focal_point": ""},
    {"code": "TD", "name_fr": "Tchad", "name_en": "Chad", "currency": "XAF",
     "focal_point": ""},
]

del _NETWORK, _HISTORY, _PROMOTERS, _ORGANS, _LEGAL, _PRIVACY
