"""Synthetic annual reports on the official 2021 template (国办公开办函〔2021〕30号), for tests.

The agency and every number are made up (the report says so in its second line); the tables print
the template's row and column labels as a report does, one table row per line in pipe form. Given
the applications table's inputs, its totals follow the template's own arithmetic (总计 column = the
six applicant columns, (七)总计 = the result rows, 结转下年度 = 新收 + 上年结转 − (七)总计), so every
identity inside one report holds and only the links across years are under test.
"""

from __future__ import annotations

# 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他
Row = tuple[int, int, int, int, int, int]
ZERO: Row = (0, 0, 0, 0, 0, 0)

_DENIED = ("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
           "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项")  # fmt: skip
_UNABLE = ("2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")
_REJECTED = ("1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
             "5.要求行政机关确认或重新出具已获取信息")  # fmt: skip
_OTHER = ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
          "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他")  # fmt: skip


def _cells(values: Row) -> str:
    return " | ".join(str(v) for v in (*values, sum(values)))


def _add(*rows: Row) -> Row:
    return tuple(sum(column) for column in zip(*rows, strict=True))  # type: ignore[return-value]


def template_report(
    agency: str,
    year: int,
    *,
    rules: tuple[int, int, int] = (0, 0, 0),
    normative: tuple[int, int, int],
    new_received: Row,
    carried_over: Row,
    granted: Row,
    partial: Row = ZERO,
    not_held: Row = ZERO,
) -> str:
    """A whole report; ``rules``/``normative`` are (本年制发件数, 本年废止件数, 现行有效件数)."""
    results = _add(granted, partial, not_held)
    forward = tuple(n + c - r for n, c, r in zip(new_received, carried_over, results, strict=True))
    if min(forward) < 0:
        raise ValueError("more results than applications: 结转下年度 would be negative")
    lines = [
        f"{agency}{year}年政府信息公开工作年度报告",
        "（合成测试报告：按国办公开办函〔2021〕30号年度报告格式编写，机关名称与全部数值均为虚构。）",
        "",
        "一、总体情况",
        "",
        f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，依法做好政府信息公开工作。",
        "",
        "二、主动公开政府信息情况",
        "",
        "| 第二十条第（一）项 | | | |",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "| 规章 | {} | {} | {} |".format(*rules),
        "| 行政规范性文件 | {} | {} | {} |".format(*normative),
        "| 第二十条第（五）项 | | | |",
        "| 信息内容 | 本年处理决定数量 | | |",
        "| 行政许可 | 12 | | |",
        "| 第二十条第（六）项 | | | |",
        "| 信息内容 | 本年处理决定数量 | | |",
        "| 行政处罚 | 3 | | |",
        "| 行政强制 | 0 | | |",
        "| 第二十条第（八）项 | | | |",
        "| 信息内容 | 本年收费金额（单位：万元） | | |",
        "| 行政事业性收费 | 0 | | |",
        "",
        "三、收到和处理政府信息公开申请情况",
        "",
        "| （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） | 自然人 | 商业企业 | 科研机构 "
        "| 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
        f"| 一、本年新收政府信息公开申请数量 | {_cells(new_received)} |",
        f"| 二、上年结转政府信息公开申请数量 | {_cells(carried_over)} |",
        f"| 三、本年度办理结果 | （一）予以公开 | {_cells(granted)} |",
        f"| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | {_cells(partial)} |",
    ]
    lines += [f"| （三）不予公开 | {label} | {_cells(ZERO)} |" if i == 0 else
              f"| {label} | {_cells(ZERO)} |" for i, label in enumerate(_DENIED)]  # fmt: skip
    lines.append(f"| （四）无法提供 | 1.本机关不掌握相关政府信息 | {_cells(not_held)} |")
    lines += [f"| {label} | {_cells(ZERO)} |" for label in _UNABLE]
    for heading, labels in (("（五）不予处理", _REJECTED), ("（六）其他处理", _OTHER)):
        lines += [f"| {heading} | {label} | {_cells(ZERO)} |" if i == 0 else
                  f"| {label} | {_cells(ZERO)} |" for i, label in enumerate(labels)]  # fmt: skip
    lines += [
        f"| （七）总计 | {_cells(results)} |",
        f"| 四、结转下年度继续办理 | {_cells(forward)} |",  # type: ignore[arg-type]
        "",
        "四、政府信息公开行政复议、行政诉讼情况",
        "",
        "| 行政复议 | | | | | 行政诉讼 | | | | | | | | | |",
        "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 结果维持 | 结果纠正 | 其他结果 "
        "| 尚未审结 | 总计 | 复议后起诉 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
        "| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "",
        "五、存在的主要问题及改进情况",
        "",
        "无。",
        "",
    ]
    return "\n".join(lines)
