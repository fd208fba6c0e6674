"""Demo organisation as plain data: the city and its districts, the bureau's sections and
windows.

The demo city is modelled on Yuncheng 运城市 (Shanxi): its real administrative division
codes (GB/T 2260) for the city and its 13 county-level divisions. Sections follow the
"前台综合受理、后台分类审批、统一窗口出件" layout of the seeds; the codes "SC", "SW" and
"KY" are the ones ``portal.accounts.demo`` refers to.
"""

from __future__ import annotations

CITY = ("140800", "运城市")

#: (code, name) of the county-level divisions of 运城市.
DISTRICTS: tuple[tuple[str, str], ...] = (
    ("140802", "盐湖区"),
    ("140821", "临猗县"),
    ("140822", "万荣县"),
    ("140823", "闻喜县"),
    ("140824", "稷山县"),
    ("140825", "新绛县"),
    ("140826", "绛县"),
    ("140827", "垣曲县"),
    ("140828", "夏县"),
    ("140829", "平陆县"),
    ("140830", "芮城县"),
    ("140881", "永济市"),
    ("140882", "河津市"),
)

BUREAU = {
    # name comes from settings.BUREAU_NAME
    "uscc_kind": "11",  # 机关
    "uscc_body": "MB195701",
    "district": "140802",
    "address": "盐湖区政务服务中心（演示地址）",
    "phone": "0359-2088000",
}

#: (code, name); the comment says what each section approves or does.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("ZH", "综合受理科"),  # 前台无差别综合受理、一次性告知、容缺受理
    ("SC", "市场准入审批科"),  # 食品、药品、医疗器械、出版物、农药、危险化学品
    ("SW", "社会事务审批科"),  # 公共场所卫生、医师、医疗机构、放射诊疗、职业培训学校
    ("TJ", "投资建设审批科"),  # 排水许可、户外广告设施等投资建设与城市管理类许可
    ("KY", "勘验评审科"),  # 现场勘验（云踏勘）调度、专家库与评审
    ("ZZ", "制证出件科"),  # 统一制证、统一窗口出件、档案
)

#: (number, name, district code or "")
WINDOWS: tuple[tuple[str, str, str], ...] = (
    ("1", "综合受理窗口", ""),
    ("2", "综合受理窗口", ""),
    ("3", "综合受理窗口", ""),
    ("4", "综合受理窗口", ""),
    ("5", "综合受理窗口（即办件）", ""),
    ("6", "综合受理窗口（即办件）", ""),
    ("CJ", "统一出件窗口", ""),
)
