"""Every word a user reads that is not a figure or a quote: statuses, severities, audit rules, errors.

Kept as data tables (not branches in the front ends) so the UI, the CLI and the exports say the
same thing, and a new rule or status is one line here. Codes that reach a user without a row here
fall back to a neutral Chinese word, never to the internal code.
"""
from __future__ import annotations

import re

# Answer.status → the tag shown before an answer that is not a plain answer ("" for none)
STATUS = {"answered": "", "not_found": "未找到", "ambiguous": "需确认", "error": "出错"}
STATUS_FALLBACK = "提示"

# findings.severity
SEVERITY = {"error": "错误", "warning": "缺表", "rounding": "舍入差异"}

# audit rule id → (name, what the rule checks)
RULES = {
    "table:children_sum": ("上下级科目之和", "上级科目（类、款）的金额应等于其下级科目金额之和"),
    "table:total_row": ("合计行", "合计行应等于各类科目之和"),
    "table:column_sum": ("列合计", "合计列应等于其组成列之和（如 合计 = 基本支出 + 项目支出）"),
    "table:income_equals_spending": ("收支总计相等", "收入总计应等于支出总计"),
    "table:income_parts": ("收入来源之和", "收入总计应等于各项收入来源之和"),
    "cross_table": ("跨表总数一致", "同一总数在不同表中应相同（如收支总表、收入总表、支出总表的总计）"),
    "narrative_vs_table": ("文字与表格一致", "情况说明中某科目的金额应与表格中该科目的金额一致"),
    "stated_share": ("所述占比", "情况说明中的占比应与按金额重新计算的结果一致"),
    "stated_change": ("所述增减", "情况说明中的增减金额与增减幅度应相互吻合"),
    "parts_sum": ("组成部分之和", "所列组成部分（如政府采购的货物、工程、服务）之和应等于所述总数"),
    "change_parts": ("变化原因金额之和", "比上年增减的金额应等于所列各项原因的金额之和"),
    "empty_statement": ("空表说明", "说明为空表的表格中不应有非零金额"),
    "missing_table": ("模板完整性", "该模板的标准表应当印出，或说明为空表、不适用"),
    "balance": ("平衡关系", "总计应等于其组成各行之和（如 决算：总计 = 本年收入合计 + 年初结转和结余）"),
    "row_identity": ("结转结余关系", "每一行：年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出"),
}
RULE_FALLBACK = ("其他核对", "")

# ingest FileResult.status
INGEST_STATUS = {"indexed": "已索引", "unchanged": "未变化", "duplicate": "重复", "error": "失败", "skipped": "已跳过"}

# documents.source_format
FORMAT = {"text": "文本导出", "pdf": "PDF"}
NO_PAGES = "—（文本导出）"

# a reader's problem (index/readers, index/ingest) → what the user reads; first match wins
INGEST_PROBLEMS = [
    (r"^empty file", "空文件"),
    (r"^binary file", "二进制文件，不是文本导出"),
    (r"^unreadable encoding", "无法识别文字编码（既不是 UTF-8 也不是 GB18030）"),
    (r"^not a PDF file", "不是 PDF 文件（没有 %PDF 文件头）"),
    (r"^encrypted PDF", "PDF 已加密，需要密码"),
    (r"^corrupt or truncated PDF", "PDF 文件损坏或不完整"),
    (r"^PDF has zero pages", "PDF 没有任何页面"),
    (r"^scanned PDF", "扫描版 PDF，没有文字层（需要先做文字识别）"),
    (r"^not a budget disclosure", "不是预算或决算公开文件（没有找到预算、决算的表格或章节）"),
    (r"^cannot read file", "无法读取文件"),
    (r"^unsupported file type '?([^']*)", "不支持的文件类型 {0}：请上传 PDF 或 .txt/.md 文本导出"),
    (r"^PDF files are not supported", "暂不支持 PDF 文件"),
    (r"^could not be read", "读取时出错"),
    (r"^cannot tell which body published it", "无法确定发布单位：标题、编制单位/部门行、页眉和正文开头都没有写明单位名称"),
]
INGEST_PROBLEM_FALLBACK = "无法读取"

# sqlite3 messages of `budgetqa sql` → one Chinese line; {0} … are the message's groups
SQL_ERRORS = [
    (r'near "(.*)": syntax error', "SQL 语法错误（“{0}”附近）"),
    (r"incomplete input", "SQL 语句不完整"),
    (r"no such table: (.*)", "没有这个表或视图：{0}"),
    (r"no such column: (.*)", "没有这个列：{0}"),
    (r"no such function: (.*)", "没有这个函数：{0}"),
    (r"ambiguous column name: (.*)", "列名不明确：{0}（请写明表名）"),
    (r"You can only execute one statement at a time", "一次只能执行一条语句"),
    (r"attempt to write a readonly database", "只读查询不能写入数据库"),
    (r"(\d+) values? for (\d+) columns", "值的个数（{0}）与列数（{1}）不符"),
    (r"Incorrect number of bindings", "参数个数不符"),
]
SQL_ERROR_FALLBACK = "SQL 执行失败：{0}"
SQL_REFUSED = "已拒绝：budgetqa sql 只允许读取（SELECT、WITH 或只读 PRAGMA），不允许 {0}"
SQL_NO_STORE = "没有找到数据库 {0}：请先运行 budgetqa ingest"

# Gradio's own widget texts (its translation keys), the same for every browser language
GRADIO_TEXT = {
    "upload_text.drop_file": "将文件拖放到此处",
    "upload_text.click_to_upload": "点击选择文件",
    "upload_text.drop_csv": "将 CSV 文件拖放到此处",
    "upload_text.paste_clipboard": "从剪贴板粘贴",
    "common.or": "或",
    "common.clear": "清除",
    "common.download": "下载",
    "common.empty": "空",
    "common.error": "错误",
    "common.loading": "加载中",
    "common.complete": "完成",
    "common.remove": "移除",
    "common.submit": "提交",
    "common.undo": "撤销",
    "common.edit": "编辑",
    "common.settings": "设置",
    "common.language": "语言",
    "common.display_theme": "显示主题",
    "common.built_with": "构建于",
    "common.built_with_gradio": "使用 Gradio 构建",
    "common.hosted_on": "托管在",
    "common.share": "分享",
    "errors.use_via_api": "通过 API 使用",
    "errors.use_via_api_or_mcp": "通过 API 或 MCP 使用",
    "file.uploading": "正在上传…",
    "status.queue_position": "排队中：第 {position} 位，共 {size} 位",
    "blocks.lost_connection": "连接已断开，正在重新连接…",
    "blocks.waiting_for_inputs": "正在等待文件上传完成，请稍后再试。",
    "chatbot.copy": "复制",
    "chatbot.copied": "已复制",
    "chatbot.clear": "清空对话",
    "chatbot.retry": "重试",
    "chatbot.undo": "撤销",
    "chatbot.edit": "编辑",
    "chatbot.submit": "发送",
    "chatbot.cancel": "取消",
    "dataframe.sort_ascending": "升序排序",
    "dataframe.sort_descending": "降序排序",
    "dataframe.clear_sort": "清除排序",
}
# every language Gradio's front end ships (it picks one from the browser's language)
GRADIO_LOCALES = ["ar", "ca", "ckb", "de", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "id", "ja", "ko",
                  "lt", "nb", "nl", "pl", "pt-BR", "pt", "ro", "ru", "sv", "ta", "th", "tr", "uk", "ur", "uz",
                  "zh-CN", "zh-TW"]


def status_tag(status: str) -> str:
    return STATUS.get(status, STATUS_FALLBACK)


def severity_name(severity: str) -> str:
    return SEVERITY.get(severity, "其他")


def severity_counts(findings: list) -> str:
    """"共 12 处：3 处错误，2 处缺表，7 处舍入差异": every severity present, in the order of SEVERITY."""
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITY}
    parts = [f"{n} 处{severity_name(s)}" for s, n in counts.items() if n or s in ("error", "rounding")]
    return f"共 {len(findings)} 处：" + "，".join(parts)


def rule_name(rule: str) -> str:
    return RULES.get(rule, RULE_FALLBACK)[0]


def rule_description(rule: str) -> str:
    return RULES.get(rule, RULE_FALLBACK)[1]


def _translate(message: str, table: list[tuple[str, str]], fallback: str) -> str:
    for pattern, text in table:
        m = re.search(pattern, message or "")
        if m:
            return text.format(*m.groups())
    return fallback.format(message)


def ingest_problem(message: str) -> str:
    """A reader's problem in Chinese (the reader's own words stay in the store and the CLI)."""
    return _translate(message, INGEST_PROBLEMS, INGEST_PROBLEM_FALLBACK)


def sql_error(message: str) -> str:
    return _translate(message, SQL_ERRORS, SQL_ERROR_FALLBACK)


def gradio_i18n():
    """Gradio's widget texts in Chinese for whatever language the browser asks for."""
    import gradio as gr

    return gr.I18n(**{locale: dict(GRADIO_TEXT) for locale in GRADIO_LOCALES})
