"""Demo people as plain data: where the demo staff sit, and the demo applicants.

The accounts themselves (username, role, name, section) are ``portal.accounts.demo``;
this module adds what a bureau also records: window, section for counter and out-window
staff, employer (used by the 回避 rules), and the applicant profiles. Identity numbers are
given as their parts and completed with valid check digits by the builders.
"""

from __future__ import annotations

from datetime import date

#: username -> (section code, window number). Section staff keep the section DEMO_USERS
#: gives them; counter and out-window staff are placed here.
STAFF_PLACEMENT: dict[str, tuple[str, str]] = {
    "clerk": ("ZH", "1"),
    "clerk2": ("ZH", "5"),  # 即办件窗口: 独任审批员
    "certifier": ("ZZ", "CJ"),
    "archivist": ("ZZ", ""),
}

#: Employers of accounts outside the bureau (the bureau's own staff work for the bureau).
EMPLOYERS: dict[str, str] = {
    "expert": "运城市中心医院",
    "regulator": "运城市市场监督管理局",
    "company": "运城市盐湖区好味道餐饮有限公司",
}

#: Applicant profiles. "login" is the DEMO_USERS username, or "" for walk-in applicants
#: who file at the counter. "premises" are the registered premises' WGS-84 coordinates
#: (invented, inside the right county) for the video inspection's location check. Persons: ("person", region, birth date, sequence);
#: organisations: ("organisation", USCC kind, region, organisation-code body).
APPLICANTS: list[dict] = [
    {"key": "applicant", "login": "applicant", "name": "张明",
     "identity": ("person", "140802", date(1986, 7, 12), 153),
     "address": "运城市盐湖区解放南路218号", "district": "140802", "industry": "餐饮服务",
     "premises": ("35.024117", "111.003582")},
    {"key": "company", "login": "company", "name": "运城市盐湖区好味道餐饮有限公司",
     "identity": ("organisation", "91", "140802", "MA0K7DL2"),
     "legal_representative": "李红梅", "contact_name": "王海涛",
     "address": "运城市盐湖区河东东街188号", "district": "140802", "industry": "餐饮服务",
     "premises": ("35.031406", "111.018954")},
    {"key": "kangning", "login": "", "name": "运城市康宁大药房有限公司",
     "identity": ("organisation", "91", "140802", "MA0H3Q8N"),
     "legal_representative": "孙丽", "contact_name": "孙丽",
     "address": "运城市盐湖区人民北路56号", "district": "140802", "industry": "药品零售",
     "premises": ("35.038722", "111.006031")},
    {"key": "anhe", "login": "", "name": "运城市安和医疗器械有限公司",
     "identity": ("organisation", "91", "140802", "MA0L2R5T"),
     "legal_representative": "周建军", "contact_name": "刘芳",
     "address": "运城市盐湖区禹都经济技术开发区工业大道9号", "district": "140802",
     "industry": "医疗器械",
     "premises": ("35.006912", "111.045677")},
    {"key": "qihang", "login": "", "name": "河津市启航教育咨询有限公司",
     "identity": ("organisation", "91", "140882", "MA0J8W1C"),
     "legal_representative": "贾志强", "contact_name": "贾志强",
     "address": "河津市龙门大道东段120号", "district": "140882", "industry": "职业培训",
     "premises": ("35.598341", "110.718206")},
    {"key": "fengshou", "login": "", "name": "临猗县丰收农资有限公司",
     "identity": ("organisation", "91", "140821", "MA0G6E4P"),
     "legal_representative": "薛永红", "contact_name": "薛永红",
     "address": "临猗县猗顿大街北段33号", "district": "140821", "industry": "农药经营",
     "premises": ("35.146083", "110.775129")},
    {"key": "kangtai", "login": "", "name": "永济市康泰口腔门诊部有限公司",
     "identity": ("organisation", "91", "140881", "MA0M4N7U"),
     "legal_representative": "畅晓东", "contact_name": "畅晓东",
     "address": "永济市舜都大道中段76号", "district": "140881", "industry": "医疗卫生",
     "premises": ("34.868952", "110.446380")},
    {"key": "shuxiang", "login": "", "name": "运城市书香图书发行有限公司",
     "identity": ("organisation", "91", "140802", "MA0P9X3D"),
     "legal_representative": "卫文华", "contact_name": "卫文华",
     "address": "运城市盐湖区中银大道东段402号", "district": "140802", "industry": "出版物发行",
     "premises": ("35.019550", "111.029770")},
    {"key": "jinnan", "login": "", "name": "运城市晋南化工贸易有限公司",
     "identity": ("organisation", "91", "140802", "MA0R1B6K"),
     "legal_representative": "杜国庆", "contact_name": "杜国庆",
     "address": "运城市盐湖区学苑路住宅小区3号楼底商", "district": "140802",
     "industry": "危险化学品",
     "premises": ("35.043268", "110.995471")},
]
