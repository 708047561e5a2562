"""The places of the `placed_index` fixture (conftest.py), for the tests that check answers
against them."""

# (district, province, city, level, year) of reports made from the bundled texts for the
# adoption, trends and reuse tests: places at every level over several years, two counties
# of one name in different provinces, a year with no report (2018) and an undated report.
PLACED = [
    ("河北省", "河北省", "", "province", 2012),
    ("河北省", "河北省", "", "province", 2014),
    ("河北省", "河北省", "", "province", 2015),
    ("浙江省", "浙江省", "", "province", 2013),
    ("浙江省", "浙江省", "", "province", 2014),
    ("江苏省", "江苏省", "", "province", 2016),
    ("保定市", "河北省", "保定市", "city", 2012),
    ("保定市", "河北省", "保定市", "city", 2013),
    ("杭州市", "浙江省", "杭州市", "city", 2014),
    ("杭州市", "浙江省", "杭州市", "city", 2016),
    ("苏州市", "江苏省", "苏州市", "city", 2015),
    ("徐水区", "河北省", "保定市", "district", 2013),
    ("徐水区", "河北省", "保定市", "district", 2015),
    ("唐县", "河北省", "保定市", "district", 2012),
    ("辛集市", "河北省", "", "district", 2014),
    ("辛集市", "河北省", "", "district", 2016),
    ("拱墅区", "浙江省", "杭州市", "district", 2015),
    ("拱墅区", "浙江省", "杭州市", "district", 2016),
    ("鼓楼区", "江苏省", "南京市", "district", 2013),
    ("鼓楼区", "福建省", "福州市", "district", 2017),
    ("全国", "", "", "national", 2012),
    ("全国", "", "", "national", 2019),
    ("", "", "", "", 0),
]
COPIED = (0, 12)  # report index and paragraph index copied whole into the last report
