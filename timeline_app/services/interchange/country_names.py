"""Countries by ISO 3166-1 alpha-3 code and the names event datasets give them.

ACLED names its actors in words ("Military Forces of Russia (2000-)", "Civilians (Iran)") where
GDELT gives codes; this table lets a dyad given as codes ("RUS", "IRN") find the countries an
actor's name mentions. The first name of each code is the one ACLED uses; others are aliases.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TABLE = """
AFG Afghanistan
ALA Aland Islands
ALB Albania
DZA Algeria
ASM American Samoa
AND Andorra
AGO Angola
AIA Anguilla
ATG Antigua and Barbuda
ARG Argentina
ARM Armenia
ABW Aruba
AUS Australia
AUT Austria
AZE Azerbaijan
BHS Bahamas|The Bahamas
BHR Bahrain
BGD Bangladesh
BRB Barbados
BLR Belarus
BEL Belgium
BLZ Belize
BEN Benin
BMU Bermuda
BTN Bhutan
BOL Bolivia
BES Caribbean Netherlands
BIH Bosnia and Herzegovina
BWA Botswana
BRA Brazil
VGB British Virgin Islands
BRN Brunei
BGR Bulgaria
BFA Burkina Faso
BDI Burundi
CPV Cape Verde|Cabo Verde
KHM Cambodia
CMR Cameroon
CAN Canada
CYM Cayman Islands
CAF Central African Republic
TCD Chad
CHL Chile
CHN China
COL Colombia
COM Comoros
COG Republic of Congo|Congo-Brazzaville
COD Democratic Republic of Congo|Democratic Republic of the Congo|DR Congo
COK Cook Islands
CRI Costa Rica
CIV Ivory Coast|Cote d'Ivoire
HRV Croatia
CUB Cuba
CUW Curacao
CYP Cyprus
CZE Czech Republic|Czechia
DNK Denmark
DJI Djibouti
DMA Dominica
DOM Dominican Republic
TLS East Timor|Timor-Leste
ECU Ecuador
EGY Egypt
SLV El Salvador
GNQ Equatorial Guinea
ERI Eritrea
EST Estonia
SWZ eSwatini|Eswatini|Swaziland
ETH Ethiopia
FLK Falkland Islands
FRO Faroe Islands
FJI Fiji
FIN Finland
FRA France
GUF French Guiana
PYF French Polynesia
GAB Gabon
GMB Gambia|The Gambia
GEO Georgia
DEU Germany
GHA Ghana
GIB Gibraltar
GRC Greece
GRL Greenland
GRD Grenada
GLP Guadeloupe
GUM Guam
GTM Guatemala
GGY Guernsey
GIN Guinea
GNB Guinea-Bissau
GUY Guyana
HTI Haiti
VAT Vatican City|Holy See
HND Honduras
HKG Hong Kong
HUN Hungary
ISL Iceland
IND India
IDN Indonesia
IRN Iran
IRQ Iraq
IRL Ireland
IMN Isle of Man
ISR Israel
ITA Italy
JAM Jamaica
JPN Japan
JEY Jersey
JOR Jordan
KAZ Kazakhstan
KEN Kenya
KIR Kiribati
XKX Kosovo
KWT Kuwait
KGZ Kyrgyzstan
LAO Laos
LVA Latvia
LBN Lebanon
LSO Lesotho
LBR Liberia
LBY Libya
LIE Liechtenstein
LTU Lithuania
LUX Luxembourg
MAC Macau|Macao
MDG Madagascar
MWI Malawi
MYS Malaysia
MDV Maldives
MLI Mali
MLT Malta
MHL Marshall Islands
MTQ Martinique
MRT Mauritania
MUS Mauritius
MYT Mayotte
MEX Mexico
FSM Micronesia
MDA Moldova
MCO Monaco
MNG Mongolia
MNE Montenegro
MSR Montserrat
MAR Morocco
MOZ Mozambique
MMR Myanmar|Burma
NAM Namibia
NRU Nauru
NPL Nepal
NLD Netherlands
NCL New Caledonia
NZL New Zealand
NIC Nicaragua
NER Niger
NGA Nigeria
NIU Niue
NFK Norfolk Island
PRK North Korea
MKD North Macedonia|Macedonia
MNP Northern Mariana Islands
NOR Norway
OMN Oman
PAK Pakistan
PLW Palau
PSE Palestine
PAN Panama
PNG Papua New Guinea
PRY Paraguay
PER Peru
PHL Philippines
PCN Pitcairn
POL Poland
PRT Portugal
PRI Puerto Rico
QAT Qatar
REU Reunion
ROU Romania
RUS Russia|Russian Federation
RWA Rwanda
BLM Saint-Barthelemy
SHN Saint Helena, Ascension and Tristan da Cunha
KNA Saint Kitts and Nevis
LCA Saint Lucia
MAF Saint-Martin
SPM Saint Pierre and Miquelon
VCT Saint Vincent and the Grenadines
WSM Samoa
SMR San Marino
STP Sao Tome and Principe
SAU Saudi Arabia
SEN Senegal
SRB Serbia
SYC Seychelles
SLE Sierra Leone
SGP Singapore
SXM Sint Maarten
SVK Slovakia
SVN Slovenia
SLB Solomon Islands
SOM Somalia
ZAF South Africa
KOR South Korea
SSD South Sudan
ESP Spain
LKA Sri Lanka
SDN Sudan
SUR Suriname
SWE Sweden
CHE Switzerland
SYR Syria
TWN Taiwan
TJK Tajikistan
TZA Tanzania
THA Thailand
TGO Togo
TKL Tokelau
TON Tonga
TTO Trinidad and Tobago
TUN Tunisia
TUR Turkey|Turkiye
TKM Turkmenistan
TCA Turks and Caicos Islands
TUV Tuvalu
UGA Uganda
UKR Ukraine
ARE United Arab Emirates
GBR United Kingdom
USA United States|United States of America
VIR Virgin Islands, U.S.
URY Uruguay
UZB Uzbekistan
VUT Vanuatu
VEN Venezuela
VNM Vietnam
WLF Wallis and Futuna
ESH Western Sahara
YEM Yemen
ZMB Zambia
ZWE Zimbabwe
"""

NAMES: dict[str, tuple[str, ...]] = {
    line[:3]: tuple(line[4:].split("|")) for line in _TABLE.strip().splitlines()
}
"""Names of each country by its alpha-3 code, ACLED's first."""
CODE_OF_NAME: dict[str, str] = {
    name.casefold(): code for code, names in NAMES.items() for name in names
}


def country_code(text: str) -> str | None:
    """The alpha-3 code of a code or a country name ("irn", "Iran"); None when unknown."""
    text = " ".join(text.split())
    if text.upper() in NAMES:
        return text.upper()
    return CODE_OF_NAME.get(text.casefold())


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern[str]:
    # Longest first: "Guinea-Bissau" and "Papua New Guinea" before "Guinea", "South Sudan"
    # before "Sudan"; a name counts only as whole words ("Niger" is not in "Nigeria"), and
    # as written ("Chad", not "chad").
    names = sorted((name for names in NAMES.values() for name in names), key=len, reverse=True)
    return re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(name) for name in names) + r")(?![\w-])"
    )


def countries_named(text: str) -> frozenset[str]:
    """The codes of the countries a text names ("Military Forces of Russia (2000-)" → RUS)."""
    return frozenset(
        CODE_OF_NAME[match.group(0).casefold()] for match in _name_pattern().finditer(text)
    )
