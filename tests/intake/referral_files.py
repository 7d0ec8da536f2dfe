"""Referral files for the tests, in the layout of docs/interfaces/referral.md."""

from __future__ import annotations

GOOD = """\
HDR|MS-DHS-TANF|F20260302-01|20260302
REF|R1001|TANF|AU-55123|20260227|N|N
CP|R1001|Delgado|Marisol||19900412|212456789|F|45 Pecan Lane||Jackson|MS|39204
NCP|R1001|Fontaine|Raymond|J|19880109|318529871|M|||||
CH|R1001|Delgado|Luis||20180623||M|45 Pecan Lane||Jackson|MS|39204
CH|R1001|Delgado|Ana||20200311||F|45 Pecan Lane||Jackson|MS|39204
REF|M2002|MEDICAID|AU-60001|20260226|P|Y
CP|M2002|Okafor|Grace||19850715|327410058|F|9 Elm Court|Apt 2|Clinton|MS|39056
CH|M2002|Okafor|Chidi||20150101||M|||||
TRL|8
"""
