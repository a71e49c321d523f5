"""Government budget subject codes (政府收支分类科目): which system a code is in, and 类 names.

Some layouts print a 类 row with its code but no name (the 2020 表六: "301 | | 405.01");
the standard 类 names fill that gap. Deeper 款/项 names always come from the document itself.
"""
from __future__ import annotations

FUNCTION_CLASSES = {
    "201": "一般公共服务支出", "202": "外交支出", "203": "国防支出", "204": "公共安全支出",
    "205": "教育支出", "206": "科学技术支出", "207": "文化旅游体育与传媒支出", "208": "社会保障和就业支出",
    "209": "社会保险基金支出", "210": "卫生健康支出", "211": "节能环保支出", "212": "城乡社区支出",
    "213": "农林水支出", "214": "交通运输支出", "215": "资源勘探工业信息等支出", "216": "商业服务业等支出",
    "217": "金融支出", "219": "援助其他地区支出", "220": "自然资源海洋气象等支出", "221": "住房保障支出",
    "222": "粮油物资储备支出", "223": "国有资本经营预算支出", "224": "灾害防治及应急管理支出",
    "227": "预备费", "229": "其他支出", "230": "转移性支出", "231": "债务还本支出", "232": "债务付息支出",
    "233": "债务发行费用支出", "234": "抗疫特别国债安排的支出",
}
ECONOMIC_CLASSES = {
    "301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助", "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）", "310": "资本性支出", "311": "对企业补助（基本建设）", "312": "对企业补助",
    "313": "对社会保障基金补助", "399": "其他支出",
}

ECONOMIC_KINDS = {"一般公共预算基本支出"}


def code_system(code: str | None, kind: str | None = None) -> str | None:
    if not code:
        return None
    if code.startswith("3") or code.startswith("5") or kind in ECONOMIC_KINDS:
        return "经济分类"
    if code.startswith("2") or code.startswith("1"):
        return "功能分类"
    return None


def subject_name(code: str) -> str:
    if len(code) == 3:
        return FUNCTION_CLASSES.get(code) or ECONOMIC_CLASSES.get(code, "")
    return ""
