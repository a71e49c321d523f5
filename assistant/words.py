"""The words the question reader knows, as data: add a synonym, a short form or an operation word here,
not a branch in the code.

Every table is read by one general mechanism (`lexicon` for body names, `parse` for the rest); none
names a document or a question.
"""
from __future__ import annotations

# ---- body names ----------------------------------------------------------------------------------

# Administrative levels a body name starts with; a name is split into its place chain and the body.
REGION_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
                   "地区", "新区", "省", "市", "县", "区", "州", "盟", "旗")
# Ethnic words left out of a prefecture's short name (巴音郭楞蒙古自治州 → 巴音郭楞州).
ETHNIC_WORDS = ("蒙古", "回族", "哈萨克", "柯尔克孜", "维吾尔", "藏族", "彝族", "苗族", "土家族", "壮族", "朝鲜族",
                "傣族", "白族", "布依族", "侗族", "哈尼族", "傈僳族", "景颇族", "羌族", "黎族", "瑶族", "满族", "锡伯")
# How Chinese body names are shortened: (long form, short forms). Applied repeatedly to every form.
ORG_SHORT_FORMS = [
    ("社会保险", ("社保",)), ("管理局", ("局",)), ("高级人民法院", ("法院", "高院")), ("中级人民法院", ("中院",)),
    ("人民法院", ("法院",)), ("人民检察院", ("检察院",)), ("常务委员会", ("常委会",)), ("常委会", ("",)),
    ("委员会", ("委",)), ("人民政府", ("政府", "")), ("政府办公室", ("府办", "政府办")), ("办公室", ("办",)),
    ("办公厅", ("办",)), ("办事处", ("",)), ("和自然资源", ("资源",)), ("人力资源和社会保障", ("人社",)),
    ("发展和改革", ("发改",)), ("住房和城乡建设", ("住建",)), ("教育局", ("教育局",)), ("卫生健康", ("卫健",)),
]
# The office a body is named by, left out when people name the body itself (人大常委会办公厅 → 人大).
OFFICE_WORDS = ("办公厅", "办公室", "办事处")
# Short forms too generic to name a body without its place (区政府 is fine, 政府 alone is not).
GENERIC_ORG_WORDS = {"政府", "人民政府", "办公室", "办公厅", "办事处", "委员会", "中心", "政府办", "办", "委", "局", "院",
                     "委办", "街道", "机关", "单位", "部门"}
# What a body's name ends with: used to notice a body the corpus does not hold (江苏省公安厅).
BODY_SUFFIXES = ("委员会", "办公厅", "办公室", "办事处", "中心", "街道", "医院", "学校", "大学", "厅", "局", "院", "委",
                 "办", "处", "所", "站", "馆")

# ---- what the question asks -----------------------------------------------------------------------

# Colloquial → printed form. A pair is used only when the colloquial words are printed nowhere in the
# documents asked about and the printed form is (so "基本工资" is never rewritten).
SYNONYMS = [
    ("三公经费", "“三公”经费"), ("公车购置", "公务用车购置"), ("公车运行", "公务用车运行"), ("公车", "公务用车"),
    ("出国经费", "因公出国（境）费"), ("出国费", "因公出国（境）费"), ("出国", "因公出国（境）"),
    ("办公用房", "房屋"), ("房子", "房屋"), ("人头经费", "人员经费"), ("日常公用经费", "公用经费"),
    ("车辆购置", "公务用车购置"), ("养老金", "养老"), ("医保", "医疗保险"), ("公积金", "住房公积金"),
    ("结转资金", "上年结转"), ("结余资金", "结转结余"), ("采购预算", "政府采购预算"),
]

# The question's scaffolding, removed before its measure is matched against the store. Only phrases that
# no label contains: single function characters (的, 中, 和 …) stay, the scorer weighs them little.
FILLER = [
    "库里所有文件中", "所有文件中", "所有文件", "全部文件", "库里", "语料中", "哪个单位哪一年", "哪家单位哪一年", "哪个单位",
    "哪家单位", "哪些单位", "哪一份文件", "哪份文件", "各单位的", "各单位", "每个单位", "所有单位", "全部单位", "各家单位",
    "请问一下", "请问", "请告诉我", "告诉我", "想知道", "想了解", "一下", "大概", "具体", "是多少钱", "是多少", "有多少钱",
    "有多少", "为多少", "多少钱", "多少", "是几", "有几", "是什么", "是哪些", "有哪些", "是哪一个", "是哪个", "是哪", "安排了", "预算了", "列支了",
    "编列了", "分别是", "分别为", "分别", "各自", "各是", "各为", "有没有", "有无", "是否", "呢", "吗", "啊", "呀", "吧",
    "这一项", "这项", "该项", "此项", "这笔钱", "这笔", "哪一项", "哪项", "哪一个", "哪个", "是什么科目", "的科目", "科目是",
    "金额最大", "金额最小", "金额", "数额", "花得", "花了", "用了", "一共", "总共", "共计", "大约", "约为", "达到",
    "各项中", "下各项", "各项", "哪一笔", "几笔", "怎么样", "如何", "情况如何", "有变化", "相比", "对比", "比较", "多少万元", "几万元", "是不是", "对不对",
]
# Characters that carry little meaning in a question; their character pairs weigh little in matching.
FUNCTION_CHARS = "的了吗呢是有为在和与及中里其各该本类笔来自请问到"

# Words a narrative figure's name often ends with that do not tell it from others ("机关运行经费财政拨款预算" is
# named by "机关运行经费"): left out when weighing how much of the name a question says.
GENERIC_NAME_ENDINGS = r"(财政拨款预算|财政拨款|预算数为|预算数|预算|总数|数量|金额|数)$"
# Endings that name the same count: a question's "缴费人员" asks the figure a document names 缴费人数.
SAME_ENDINGS = [("人数", "人员", "人"), ("辆数", "辆"), ("台数", "台"), ("个数", "个")]
# Words before a label that make another item of it (其他X is not X).
IDENTITY_MODIFIERS = ("其他", "其它", "非", "不含", "除外")
# Figures per head or on average need a base (population, staff) the disclosures do not give: asked when no
# label or stated figure of the document says them, they are not answered from a total.
PER_BASE_WORDS = r"人均|平均|每人|户均|均值|每户|每平方米|每千人|每万人"
# Questions that ask for something other than an amount (a year, a brand, a name): no figure answers them.
NON_NUMERIC_ASKS = r"哪一年|哪年|何年|何时|什么时候|几月|哪天|什么品牌|品牌|型号|是谁|姓名|名字|地址|在哪(?![几些一个类项])|哪里|电话|网址|怎么申请|如何申请"
# Question words for the kind of quantity asked → the units a figure of that kind is given in.
QUANTITY_WORDS = [
    (r"多少人(?!次|员?(?:经费|支出|工资))|几人(?!次)|多少名|几名|人数|人员数|编制|(?:多少|几)(?:个|名|位)?[\u4e00-\u9fa5]{0,4}?(?:人员|职工|员工)"
     r"(?!经费|支出|工资|费|类|的?(?:经费|支出|工资))|(?:人员|职工|员工)(?:有|共有|一共有|是|共)?(?:多少|几)(?!钱|万|元|经费|资金)",
     ("人", "名")),
    (r"人次", ("人次",)),
    (r"几辆|多少辆|车辆数|辆数", ("辆",)),
    (r"几台|多少台|台套|几套|多少套", ("台", "套", "台（套）")),
    (r"面积|平方米|多大面积", ("平方米",)),
    (r"几个(科室|处室|部门|机构|内设|股室)|多少个(科室|处室|部门|机构|股室)", ("个",)),
    (r"几批|多少批", ("批", "批次")),
]
MONEY_UNITS = ("万元", "元", "千元", "亿元")
PERCENT = "%"

# Operations, in the order they are tried: (operation, pattern over the normalised question).
OPERATIONS = [
    ("explain", r"为什么|为何|为啥|原因|缘故|怎么回事|因为什么|何故"),
    ("define", r"什么是|是什么意思|什么意思|指什么|指的是|含义|定义|怎么界定|如何界定|是指|名词解释|反映哪些|反映什么|包括什么"),
    ("growth", r"增长率|增幅|涨幅|降幅|变化率|增长(了)?(百分之几|百分之|多少%|几个百分点|百分比)|下降(了)?(百分之几|百分之|多少%|几个百分点|百分比)|"
               r"增减幅度|变动率|(增长|下降|增加|减少)了?(百分之几|多少个百分点)"),
    ("execution", r"执行率|完成率|完成了?(年初)?预算的(百分之|多少)|预算完成|执行进度|执行了?(百分之|多少%)|"
                  r"决算[^，,。？?]{0,6}(比|较|和|与|跟)(年初|调整|全年)预算"),
    ("share", r"占比|比重|比例|所占|百分之几|百分比|份额|几成|占(?!用|有|地)[^，,。？?]{1,24}?(多少(?!钱|万|元|辆|人|台|名)|%|百分)"),
    ("rank", r"排名|排序|排行|从高到低|从大到小|从低到高|从小到大|(怎么|如何|怎样)排(列|序)?|前[二三四五六七八九十\d]+(名|位|项|个)?"),
    ("max", r"最大|最多|最高|最贵|第一位|之最|花得最多"),
    ("min", r"最小|最少|最低|最便宜"),
    ("count", r"几个|多少个|几份|多少份|几家|多少家|几项|多少项|几类|多少类|几张|多少张|数量是多少|个数"),
    ("which_column", r"还是|来自哪(一)?(类|种|项|部分)|属于哪|哪(一)?类资金|哪(一)?种资金|资金来源是|列在哪"),
    ("difference", r"差额|差多少|相差|差距|差了|多多少|少多少|多了多少|少了多少|多出|高多少|低多少|"
                   r"(增加|减少|下降|增长|变化|变动|减|涨|降|上升|提高|降低|压缩|节约|超支|超出)了?多少|有变化吗|变化了吗|有何变化|怎么样|如何变化|相比如何|比较"),
    ("sum", r"合计|总和|加起来|加在一起|一共|共计|总共|合起来|之和|总计是|总额"),
    ("list", r"哪些|有哪几|哪几|列出|列举|都是什么|都有什么|下设|包括哪|包含哪|所辖"),
    ("parts", r"分别|各是|各为|各多少|各有多少|各自|构成|组成"),
]
# "比上年…": a change the document states against the previous year (no second document needed).
AGAINST_PREVIOUS = r"比上年|较上年|比去年|较去年|同比|与上年相比|和上年相比|跟上年比"
EVERY_BODY = r"各单位|所有单位|每个单位|各家|全部单位|哪个单位|哪家单位|哪些单位|几个单位|几家单位|所有文件|全部文件|各份|几份|哪一份|哪份"
DECREASE_WORDS = r"减少|下降|少了|降低|缩减|降幅|减了|(?<!多)少(?!钱)"

# ---- documents -----------------------------------------------------------------------------------

BUDGET_KIND_WORDS = [("决算", r"决算|实际支出|实际花|实际发生|实际完成|执行率|完成率|花了多少"), ("预算", r"预算")]
SCOPE_WORDS = [("部门", r"部门(预算|决算)|（部门）|\(部门\)|部门口径|整个部门|全部门"),
               ("单位", r"单位(预算|决算)|（单位）|\(单位\)|单位口径|单位本级|本级单位")]
# Words that name a whole document ("部门预算", "决算"): taken out of the measure; a question left with
# nothing else asks for the document's total.
DOCUMENT_WORDS = r"(?:部门|单位)(?:预算|决算)|(?<![\u4e00-\u9fa5])(?:总)?(?:预算|决算)(?:总额|总数|规模)?(?![\u4e00-\u9fa5])|年初预算|全年预算"
DOCUMENT_TOTAL = "收支总计"
RELATIVE_YEARS = [(r"今年|本年度|本年", 0), (r"去年|上一年度|上一年|上年度", -1), (r"前年", -2)]

# ---- tables --------------------------------------------------------------------------------------

# Row labels that are a table's total: a question that names only the table or a column means them.
TOTAL_NAMES = ("总计", "合计", "小计", "收入总计", "支出总计", "收入合计", "支出合计", "本年收入合计", "本年支出合计")
TOTAL_LABEL = rf"^({'|'.join(TOTAL_NAMES)}|合\s*计|总\s*计)[:：]?$"
# The same labels as printed, for an exact match in SQL (a row with no label and no code is a total too).
TOTAL_FORMS = tuple(name + end for name in TOTAL_NAMES + ("合 计", "总 计") for end in ("", ":", "：")) + ("",)
# Column leaves that are a row's amount when no column is named (the first of them wins).
DEFAULT_COLUMNS = ("合计", "总计", "小计", "预算数", "金额", "本年预算", "预算", "决算数", "决算", "本年决算", "全年决算",
                   "支出", "收入", "数额", "年初预算数")
# Column leaves of a 决算 table's budget side: not the default amount of a 决算 document.
BUDGET_COLUMNS_OF_FINAL_ACCOUNTS = ("年初预算", "年初预算数", "调整预算", "调整预算数", "全年预算", "全年预算数", "预算数")
# The stage of a budget a column holds. A question that names one is answered only from a column that
# holds it (the document's own kind — 预算 in a budget, 决算 in final accounts — is its default column).
STAGE_WORDS = ("调整预算", "年初预算", "全年预算", "上年预算", "上年执行", "执行数", "决算数", "预算数")
# Which table a reader means first when an item stands in several with different amounts.
KIND_PREFERENCE = ["收支总体", "支出总体", "收入总体", "三公经费", "一般公共预算基本支出", "项目支出", "上年结转结余",
                   "政府采购", "一般公共预算支出", "财政拨款收支总体", "财政拨款支出", "政府性基金", "国有资本经营",
                   "政府购买服务", "机关运行经费", "国有资产", "other"]
# Kind names as people say them, beside the titles the documents print.
KIND_WORDS = {
    "收支总体": "收支总表 收支预算总表 收支总体情况表", "收入总体": "收入总表 收入预算总表 收入总体情况表",
    "支出总体": "支出总表 支出预算总表 支出总体情况表", "财政拨款收支总体": "财政拨款收支总表 财政拨款收支总体情况表",
    "一般公共预算支出": "一般公共预算支出表 一般公共预算财政拨款支出", "一般公共预算基本支出": "基本支出表 经济分类 一般公共预算基本支出表",
    "项目支出": "项目支出表 项目表", "三公经费": "三公经费表 三公", "上年结转结余": "上年结转 结转结余",
    "政府采购": "政府采购表", "政府性基金": "政府性基金表", "国有资本经营": "国有资本经营表",
}
