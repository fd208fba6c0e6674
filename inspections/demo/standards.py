"""Demo inspection standards (踏勘标准, "N类标准码") for every demo matter that needs
inspection, as plain data, and their loader.

The content follows the public rules each matter is granted under (食品经营许可审查通则 and
餐饮服务食品安全操作规范, 食品生产许可审查通则, 药品经营质量管理规范 GSP, 医疗器械经营质量管理
规范, 出版物市场管理规定, 农药经营许可管理办法, 危险化学品经营许可证管理办法, 医疗机构基本标准,
放射诊断放射防护要求 GBZ 130, 城镇污水排入排水管网许可管理办法 …), written for this portal.
Items are grouped by the five categories of seed 001 (制度、人员、场所、设备、管理); weights
sum to 100 per matter and the essential items veto. An item ``key`` names one requirement
across matters (``staff-health-certificates`` is the same 健康证明 check in every food
standard), so a merged (并联) checklist lists it once. ``COMMON`` holds the shared
requirements; a matter may override the wording while keeping the key.

``load_standards`` publishes version 1 of a matter's standard only when the matter has none
(a second ``seed_demo`` run creates nothing); food-business standards get generated guidance
pictures (``inspections.demo.figures``).
"""

from __future__ import annotations

import io

from approvals.demo.upsert import Tally
from approvals.models import Matter
from inspections.demo.figures import Figure, render_png
from inspections.models import Category, Standard
from inspections.services.guidance import media_store
from inspections.services.standards import standard_publish

SYSTEM, STAFF, PREMISES, EQUIPMENT, MANAGEMENT = (
    "system", "staff", "premises", "equipment", "management")
#: Items are numbered in the order the checklist shows them: by category.
CATEGORY_ORDER = {c: n for n, c in enumerate(Category.values)}

COMMON: dict[str, dict] = {
    "business-licence-display": {
        "category": MANAGEMENT, "title": "主体资格与证照公示",
        "requirement": "营业执照（或其他主体资格证明）真实有效，名称、住所（经营场所）、法定代表人"
                       "（负责人）与申请材料一致；营业执照原件在经营场所醒目位置公示。",
        "method": "核对营业执照原件与申请材料；现场查看公示位置。",
        "guidance": "勘验时请将营业执照原件悬挂在收银台或入口附近的醒目位置；名称、地址近期变更的，"
                    "一并准备变更登记通知书。视频勘验时请先把镜头对准营业执照，保持画面清晰约 5 秒。",
    },
    "premises-layout": {
        "category": PREMISES, "title": "经营场所面积与布局",
        "method": "对照平面布局图现场查看各功能区；必要时测量面积。",
        "guidance": "请准备与申报一致的平面布局图（标明各功能区、面积和主要设备位置），勘验时按图逐区域"
                    "展示。视频勘验请横屏拍摄，边走边介绍区域名称。",
    },
    "pollution-distance": {
        "category": PREMISES, "title": "选址与周边环境",
        "requirement": "场所周围环境整洁，距离粪坑、污水池、暴露垃圾场（站）、旱厕等污染源 25 米以上，"
                       "并设在粉尘、有害气体、放射性物质和其他扩散性污染源的影响范围之外。",
        "method": "现场查看周边环境；必要时用测距仪测量与污染源的距离。",
        "guidance": "请提前清理门前、后院的杂物和积水；周边有垃圾站、公厕等设施的，准备标明相对位置和"
                    "距离的示意图或地图截图。",
    },
    "pest-control": {
        "category": EQUIPMENT, "title": "防蝇防鼠防尘设施",
        "requirement": "食品处理区门窗装配严密；与外界直接相通的门能自动关闭或设空气幕，可开启的窗户设"
                       "易拆洗、不生锈的纱网；排水沟出口和排气口设网眼孔径不大于 6 毫米的金属隔栅或网罩；"
                       "库房门口设挡鼠板；灭蝇灯不设在食品加工操作区正上方。",
        "method": "现场查看门窗、纱网、挡鼠板和排水口隔栅；抽查灭蝇灯安装位置；查阅有害生物防制记录。",
        "guidance": "请检查纱窗有无破损、门缝是否严密（可用手电照射门缝看是否透光）；库房和后门安装"
                    "挡鼠板；排水沟出口加装金属网罩。委托有害生物防制（除四害）服务的，准备服务合同和"
                    "最近一次服务记录。",
    },
    "cold-storage": {
        "category": EQUIPMENT, "title": "冷藏冷冻设备",
        "requirement": "配备与经营品种、数量相适应的冷藏、冷冻设施，冷藏温度 0～8℃、冷冻温度 -12℃"
                       "以下，设有可正确显示内部温度的温度计或温度显示装置；原料、半成品、成品分柜或分层"
                       "存放，生熟分开，标识明显。",
        "method": "现场查看设备运行状态并读取温度显示；抽查存放情况和标识。",
        "guidance": "勘验前请提前开机，使冷藏、冷冻设备达到设定温度；在每台设备显眼处贴上“原料”"
                    "“半成品”“成品”或“生”“熟”标识；没有温度显示的设备请放置温度计。",
    },
    "cleaning-disinfection": {
        "category": EQUIPMENT, "title": "清洗消毒保洁设施",
        "requirement": "设置专用的餐用具清洗、消毒和保洁设施，与食品原料、清洁工具的清洗水池分开并标识"
                       "明确；采用化学消毒的至少设 3 个专用水池（或容器），采用热力消毒的配备消毒柜等"
                       "设备；保洁设施密闭，标识明显。",
        "method": "现场查看水池数量、标识和消毒设备；询问清洗消毒流程；查阅消毒记录样式。",
        "guidance": "请在各水池上方张贴“清洗”“消毒”“冲洗”“原料清洗”“拖布池”等标识；准备消毒剂"
                    "及配比说明；使用集中消毒餐具的，准备与餐具集中消毒单位签订的合同及该单位的营业"
                    "执照复印件。",
    },
    "ventilation-exhaust": {
        "category": EQUIPMENT, "title": "通风排烟设施",
        "requirement": "烹调场所采用机械排风，产生油烟的设备上方设排烟罩和油烟净化装置；排气口设易清洗、"
                       "耐腐蚀并可防止有害生物侵入的网罩。",
        "method": "现场查看并开机试运行排风设备。",
        "guidance": "勘验时请打开排烟风机展示运行状态；准备油烟净化设备的合格证或安装说明；排气口加装"
                    "防虫网罩。",
    },
    "staff-health-certificates": {
        "category": STAFF, "title": "从业人员健康证明",
        "requirement": "从事接触直接入口食品工作的从业人员上岗前取得健康证明并每年进行健康检查；人员名单"
                       "与健康证明一一对应；患有国务院卫生行政部门规定的有碍食品安全疾病的人员不得从事"
                       "接触直接入口食品的工作。",
        "method": "查阅从业人员名单和健康证明原件；抽查在岗人员。",
        "guidance": "请准备全部从业人员名单（姓名、岗位、健康证明编号、有效期）和健康证明原件；30 日内"
                    "到期的请提前复检。新招聘人员须先取得健康证明再上岗。",
    },
    "food-safety-manager": {
        "category": STAFF, "title": "食品安全管理人员",
        "requirement": "配备专职或兼职食品安全管理人员，熟悉食品安全法律法规和本单位食品安全管理制度，"
                       "经培训考核合格。",
        "method": "查阅任命文件和培训考核合格证明；现场询问食品安全知识。",
        "guidance": "请确定一名食品安全管理人员并在勘验时在场，准备培训考核合格证明（可通过市场监管部门"
                    "的线上培训考核取得）；勘验人员可能就进货查验、餐具消毒、留样等问题现场提问。",
    },
    "food-safety-system": {
        "category": SYSTEM, "title": "食品安全管理制度",
        "requirement": "建立从业人员健康管理、从业人员培训、进货查验记录、食品安全自查、食品安全事故处置"
                       "等保证食品安全的规章制度，在经营场所张贴或备查。",
        "method": "查阅制度文本；查看制度上墙情况；询问负责人执行情况。",
        "guidance": "制度可参考市场监管部门发布的示范文本，结合本单位实际修改，由负责人签字并注明实施"
                    "日期；主要制度张贴在加工区或办公区。勘验时请准备一份装订好的制度汇编。",
    },
    "inspection-lab": {"category": EQUIPMENT, "title": "检验室与检验设备"},
    "purchase-inspection-records": {"category": MANAGEMENT, "title": "进货查验与台账"},
    "computer-system": {"category": EQUIPMENT, "title": "计算机管理系统"},
    "quality-management-system": {"category": SYSTEM, "title": "质量管理制度"},
    "temperature-humidity-monitoring": {"category": EQUIPMENT, "title": "温湿度监测"},
    "business-management-system": {"category": SYSTEM, "title": "经营管理制度"},
    "staff-training": {"category": STAFF, "title": "从业人员培训"},
    "protective-equipment": {"category": EQUIPMENT, "title": "安全防护用品"},
    "licensed-medical-staff": {"category": STAFF, "title": "卫生技术人员资质"},
    "name-and-price-disclosure": {"category": MANAGEMENT, "title": "名称与收费公示"},
    "fire-safety-exits": {
        "category": PREMISES, "title": "消防设施与安全出口",
        "requirement": "安全出口和疏散通道畅通，设置应急照明和疏散指示标志；按规定配置灭火器等消防器材，"
                       "并在有效期内。",
        "method": "现场查看安全出口、疏散通道和应急照明；抽查灭火器压力和有效期。",
        "guidance": "勘验前请清理堵塞疏散通道和安全出口的物品；检查灭火器压力表指针是否在绿区、是否在"
                    "有效期内；按下应急照明灯的测试键应能正常点亮。已取得消防验收、备案或消防安全检查"
                    "意见的，请准备原件。",
    },
    "emergency-plan": {
        "category": SYSTEM, "title": "应急预案与演练",
        "method": "查阅应急预案和演练记录；现场查看应急器材。",
    },
}


def item(key: str, weight: int, *, veto: bool = False, **text: str) -> dict:
    """One checklist item: the shared wording of ``key`` with this matter's overrides."""
    data = {"key": key, "method": "", "guidance": "", **COMMON.get(key, {}), **text,
            "weight": weight, "veto": veto}
    missing = [f for f in ("category", "title", "requirement") if not data.get(f)]
    if missing:
        raise ValueError(f"{key}: {', '.join(missing)} missing")
    return data


LAYOUT_FLOW = Figure(
    "餐饮服务加工流程布局示意（生进熟出、单向流动）",
    ("原料入口", "粗加工区", "切配区", "烹饪区", "备餐专间", "成品出口"),
    ("食品处理区与就餐区分隔，工用具生熟分开并有明显标识。",
     "餐用具清洗消毒区与食品原料清洗池分开设置，不得交叉使用。",
     "制售冷食类、生食类食品或自制饮品的，在专间或专用操作区内制作。"))
SINKS = Figure(
    "餐用具清洗消毒流程（化学消毒）",
    ("除去残渣", "清洗池 洗涤剂清洗", "消毒池 浸泡消毒", "冲洗池 清水冲净", "保洁柜 密闭存放"),
    ("化学消毒至少设 3 个专用水池，分别标明“清洗”“消毒”“冲洗”。",
     "消毒剂按产品说明书配制和浸泡，配比和浸泡时间张贴在消毒池旁。",
     "使用消毒柜的，消毒后的餐用具直接存放在保洁柜内。"))
PACKING_ROOM = Figure(
    "集体用餐分装专间进入流程",
    ("一次更衣", "洗手消毒", "预进间 二次更衣", "分装专间 室温≤25℃", "传递窗送出"),
    ("专间配备独立空调、空气消毒设施、专用冷藏设施和温度计。",
     "非分装人员不得进入专间，专间内不存放与分装无关的物品。"))
PLANT_ZONES = Figure(
    "食品生产车间作业区划分示意",
    ("原辅料库", "一般作业区", "准清洁作业区", "清洁作业区", "内包装", "成品库"),
    ("人流、物流不交叉；清洁作业区入口设更衣、洗手、消毒设施。",
     "原料、半成品、成品和包装材料分区存放，标识清楚。"))

STANDARDS: dict[str, dict] = {
    "SC-FOOD-01": {
        "title": "食品经营许可（餐饮服务、食品销售）现场核查标准", "pass_score": 80,
        "figures": [("premises-layout", "加工流程布局示意图", LAYOUT_FLOW),
                    ("cleaning-disinfection", "餐用具清洗消毒流程图", SINKS)],
        "items": [
            item("premises-layout", 15, veto=True,
                 requirement="具有与经营的食品品种、数量相适应的食品原料处理、加工制作、贮存等场所；"
                             "食品处理区与非食品处理区、就餐区分隔，加工制作区按原料进入、原料加工、"
                             "半成品加工、成品供应的流程布局，生进熟出、单向流动，防止交叉污染；制售"
                             "冷食类、生食类食品或自制饮品的，设专间或专用操作区。",
                 guidance="请准备与申报一致的平面布局图，标明粗加工、切配、烹饪、备餐（专间）、清洗"
                          "消毒、库房和就餐区的位置与面积；勘验时从原料入口开始，按加工流程依次展示"
                          "各区域。视频勘验请横屏拍摄，边走边介绍区域名称。"),
            item("pollution-distance", 8, veto=True),
            item("pest-control", 12),
            item("cold-storage", 12),
            item("cleaning-disinfection", 10),
            item("ventilation-exhaust", 6),
            item("staff-health-certificates", 12, veto=True),
            item("food-safety-manager", 8),
            item("food-safety-system", 10, veto=True),
            item("business-licence-display", 7),
        ],
    },
    "SC-FOOD-02": {
        "title": "小餐饮登记（食品小经营店）现场核查标准", "pass_score": 80,
        "figures": [("cleaning-disinfection", "餐用具清洗消毒流程图", SINKS)],
        "items": [
            item("premises-layout", 20, veto=True,
                 requirement="有固定经营场所，加工操作区与就餐区分开；加工操作区面积满足基本加工需要，"
                             "地面、墙面便于清洗，生熟分开，有专用的原料存放区域。",
                 guidance="请准备简单的平面示意图（手绘亦可），标明加工操作区、就餐区和原料存放位置；"
                          "勘验时先展示门头，再依次展示加工区、存放区和就餐区。"),
            item("pest-control", 15),
            item("cold-storage", 15,
                 requirement="配备冰箱或冷柜，冷藏 0～8℃、冷冻 -12℃以下，生熟食品分柜或分层存放，"
                             "并有明显标识。"),
            item("cleaning-disinfection", 15,
                 requirement="设有餐用具清洗、消毒设施（消毒柜或清洗、消毒、冲洗水池），或者使用集中"
                             "消毒餐具；加工区设有洗手设施。"),
            item("staff-health-certificates", 20, veto=True),
            item("food-safety-system", 8, title="食品安全承诺与记录",
                 requirement="签署食品安全承诺书并在店内公示，建立进货查验记录和餐用具清洗消毒记录，"
                             "落实每日自查。",
                 method="查看承诺书公示情况；查阅进货查验和清洗消毒记录。",
                 guidance="请将签署的食品安全承诺书张贴在店内显眼处；准备进货查验记录本（或电子台账）"
                          "和清洗消毒记录表，开业前的采购也要记录。"),
            item("business-licence-display", 7),
        ],
    },
    "SC-FOOD-03": {
        "title": "集体用餐配送单位现场核查标准", "pass_score": 85,
        "figures": [("packing-room", "分装专间进入流程图", PACKING_ROOM)],
        "items": [
            item("premises-layout", 14, veto=True,
                 requirement="食品处理区按原料、半成品、成品的顺序设置，分设粗加工、切配、烹饪、分装、"
                             "餐用具清洗消毒、库房等功能区，布局合理、单向流程；食品处理区面积与配送"
                             "规模相适应。"),
            item("packing-room", 12, veto=True, category=PREMISES, title="分装专间",
                 requirement="设独立的分装专间，入口处设预进间（二次更衣、洗手消毒）；专间内配备独立"
                             "空调、空气消毒设施、专用冷藏设施和温度计，室内温度不高于 25℃；专间门能"
                             "自动关闭，食品经传递窗传递。",
                 method="现场查看专间设施并读取室温；查看预进间洗手消毒设施。",
                 guidance="勘验前请提前开启专间空调，确保温度不高于 25℃；预进间备好专用工作服、口罩、"
                          "洗手液和手消毒液；专间内不得存放与分装无关的物品。"),
            item("cold-storage", 10,
                 requirement="配备与配送规模相适应的冷藏、冷冻设施；采用冷链配送的，设快速冷却设备，"
                             "烹饪后的食品在规定时间内冷却至 8℃以下并冷藏保存。"),
            item("delivery-vehicles", 12, veto=True, category=EQUIPMENT, title="专用配送车辆",
                 requirement="配备封闭式专用配送车辆，车厢内壁平整、易清洗；热链配送的食品中心温度"
                             "保持在 60℃以上，冷链配送的保持在 8℃以下，配备温度监测设备；不得与非"
                             "食品混装。",
                 method="现场查看车辆及保温、冷藏设施；核对车辆行驶证；查阅车辆清洗消毒记录样式。",
                 guidance="请将全部配送车辆停放在场地内备查，准备车辆行驶证和保温箱或冷藏设备合格证；"
                          "车厢张贴“食品专用”标识；准备配送温度记录表样式。"),
            item("inspection-lab", 10,
                 requirement="设置与配送规模相适应的检验室，配备检验设备和专职检验人员，能对成品开展"
                             "感官、中心温度及必要的快速检测。",
                 method="现场查看检验室及设备；由检验人员演示操作；查阅检验记录样式。",
                 guidance="请准备检验设备清单和检验人员名单；勘验时由检验人员现场演示一项快速检测"
                          "（如食品中心温度测定）。"),
            item("sample-retention", 10, veto=True, category=MANAGEMENT, title="食品留样",
                 requirement="每餐次的每种食品成品均留样，每个品种留样量不少于 125 克，分别盛放于清洗"
                             "消毒后的专用密闭容器内，在专用冷藏设备中冷藏存放 48 小时以上，并记录留样"
                             "食品名称、留样量、留样时间和留样人员。",
                 method="现场查看留样冰箱和留样容器；查阅留样记录表样式；请留样人员演示。",
                 guidance="请准备专用留样冰箱（贴“留样专用”标识）、留样盒和电子秤；准备留样记录表，"
                          "留样人员能够现场演示留样操作。"),
            item("staff-health-certificates", 10, veto=True),
            item("food-safety-manager", 6,
                 requirement="配备专职食品安全管理人员，经培训考核合格，熟悉集体用餐配送的温度控制、"
                             "留样和追溯要求。"),
            item("food-safety-system", 8,
                 requirement="建立进货查验记录、从业人员健康管理、食品留样、配送温度控制、食品安全追溯、"
                             "食品安全自查和事故处置等制度，并明确责任人。"),
            item("pest-control", 8),
        ],
    },
    "SC-FOOD-04": {
        "title": "食品生产许可现场核查标准", "pass_score": 85,
        "figures": [("premises-layout", "车间作业区划分示意图", PLANT_ZONES)],
        "items": [
            item("premises-layout", 14, veto=True, title="生产场所与车间布局",
                 requirement="生产场所与生活区分开，按清洁作业区、准清洁作业区和一般作业区合理划分并"
                             "有效分隔；车间布局与工艺流程一致，人流、物流不交叉；原料、半成品、成品及"
                             "包装材料分区存放。",
                 method="对照车间布局图和工艺流程图现场查看；测量主要车间面积。",
                 guidance="请准备车间平面布局图、工艺设备布局图和工艺流程图，图中标明作业区划分和"
                          "人流、物流走向；勘验时按工艺流程顺序展示，从原料库开始到成品库结束。"),
            item("pollution-distance", 8, veto=True,
                 requirement="厂区周围无有碍食品安全的污染源，与粪坑、污水池、暴露垃圾场（站）、旱厕"
                             "等污染源保持规定距离；厂区道路硬化，无积水和扬尘。"),
            item("production-equipment", 14, veto=True, category=EQUIPMENT, title="生产设备设施",
                 requirement="具有与生产的食品品种、数量相适应的生产设备，性能和精度满足工艺要求；直接"
                             "接触食品的设备、工器具材质无毒、无害、耐腐蚀，符合食品安全国家标准；设备"
                             "按工艺流程有序排列。",
                 method="现场查看设备及铭牌，对照设备清单核对；抽查设备运行状态。",
                 guidance="请准备生产设备、设施清单（名称、型号、数量、所在车间），勘验时设备处于可"
                          "运行状态；直接接触食品的设备准备材质说明或合格证明。"),
            item("inspection-lab", 10,
                 requirement="自行检验的，设与出厂检验项目相适应的检验室和检验设备，计量器具经检定或"
                             "校准合格；委托检验的，与有资质的检验机构签订委托检验协议。",
                 method="现场查看检验室和设备；查阅检定（校准）证书或委托检验协议。",
                 guidance="请准备检验设备清单和检定（校准）证书；委托检验的准备委托协议和检验机构资质"
                          "证明；准备试制产品的检验合格报告。"),
            item("pest-control", 8),
            item("changing-handwash", 6, category=EQUIPMENT, title="更衣、洗手、消毒设施",
                 requirement="生产车间入口设更衣室，配备与人数相适应的更衣设施；车间入口及必要处设洗手、"
                             "干手和消毒设施，水龙头为非手动开关。",
                 method="现场查看更衣室和洗手消毒设施。",
                 guidance="请在更衣室准备足量工作服、工作帽，洗手池旁张贴洗手步骤图，备好洗手液、干手"
                          "器（或擦手纸）和手消毒液。"),
            item("food-safety-manager", 8, title="食品安全管理及专业技术人员",
                 requirement="配备食品安全管理人员和食品安全专业技术人员，经培训考核合格，熟悉食品生产"
                             "过程控制要求。"),
            item("staff-health-certificates", 8, veto=True),
            item("food-safety-system", 12, veto=True,
                 requirement="建立进货查验记录、生产过程控制、出厂检验记录、食品安全自查、从业人员健康"
                             "管理、不安全食品召回、食品安全事故处置等制度，明确关键控制点和控制措施。"),
            item("production-records", 12, category=MANAGEMENT, title="工艺文件与生产记录",
                 requirement="具有产品配方、工艺规程等工艺文件；建立原辅料投料、关键控制点监控、清洗"
                             "消毒、设备维护等记录表单，记录内容可追溯。",
                 method="查阅工艺文件和记录表单；抽查记录与现场是否一致。",
                 guidance="请准备产品配方、工艺规程和各类记录表单（投料记录、关键控制点监控记录、出厂"
                          "检验记录等），以及试产期间的实际记录。"),
        ],
    },
    "SC-DRUG-01": {
        "title": "药品零售企业现场检查标准（GSP）", "pass_score": 85,
        "items": [
            item("premises-layout", 12, veto=True, title="营业面积与布局",
                 requirement="营业场所与药品储存、办公、生活辅助区域分开；营业面积符合省级药品监督管理"
                             "部门规定的开办标准，并与经营范围、规模相适应；营业场所宽敞、明亮、整洁，"
                             "有防尘、防潮、防污染和防虫、防鼠设施。",
                 method="现场查看并测量营业面积；对照平面布局图核对。",
                 guidance="请准备营业场所平面布局图（标明营业区、处方审核区、阴凉区、拆零区和仓储区）；"
                          "勘验时由执业药师陪同按图逐区域展示，必要时配合测量营业面积。"),
            item("temperature-humidity-monitoring", 12, veto=True, title="阴凉区温湿度监测",
                 requirement="配备空调和温湿度监测设备，营业场所温度控制在 10～30℃，阴凉区（柜）不高于"
                             " 20℃，相对湿度保持在 35%～75%；监测设备经校准，自动记录或每日定时记录，"
                             "数据可追溯。",
                 method="现场读取温湿度计显示；查阅温湿度记录和校准证书。",
                 guidance="请在阴凉区（柜）和常温区各放置经校准的温湿度计，勘验前一周开始按时记录；"
                          "准备校准证书；阴凉柜须提前运行并达到 20℃以下。"),
            item("cold-storage", 8, title="冷藏药品设备",
                 requirement="经营冷藏药品的，配备专用冷藏设备，温度保持在 2～10℃，具有温度自动监测、"
                             "显示和记录功能；不经营冷藏药品的，本项不适用。",
                 method="现场查看冷藏设备运行状态和温度记录。",
                 guidance="经营冷藏药品的，请准备医用冷藏柜并提前运行，准备温度记录；不经营冷藏药品的，"
                          "勘验时向勘验人员说明即可。"),
            item("pharmacist-on-duty", 15, veto=True, category=STAFF, title="执业药师在岗",
                 requirement="企业法定代表人或者企业负责人具备执业药师资格；按规定配备执业药师负责处方"
                             "审核、指导合理用药，执业药师注册于本企业、营业时间在岗；经营中药饮片的配备"
                             "中药学专业技术人员。",
                 method="核对执业药师注册证原件和注册单位；现场询问在岗执业药师；查看在岗公示牌。",
                 guidance="请执业药师本人在勘验时在岗，携带执业药师注册证原件和身份证，注册单位须已变更"
                          "为本企业；在营业场所显著位置设置执业药师在岗公示牌（含照片、姓名、注册证号、"
                          "在岗时间）。"),
            item("staff-health-certificates", 6, title="人员健康检查",
                 requirement="在营业场所内直接接触药品的人员进行岗前及年度健康检查并建立健康档案；患有"
                             "传染病或者其他可能污染药品的疾病的，不得从事直接接触药品的工作。",
                 method="查阅健康检查报告和健康档案；抽查在岗人员。",
                 guidance="请准备全部员工名单和近一年内的健康检查报告，建立员工健康档案。"),
            item("drug-display", 10, category=MANAGEMENT, title="药品分类陈列",
                 requirement="按剂型、用途和储存要求分类陈列，设置醒目标志；处方药与非处方药分区陈列，"
                             "处方药不得开架自选销售；外用药与其他药品分开摆放；拆零药品集中存放于拆零"
                             "专柜；含麻黄碱类复方制剂等专门管理的药品设专柜。",
                 method="现场查看货架、柜台的分区和标识。",
                 guidance="请在货架上张贴“处方药”“非处方药”“外用药”“拆零专柜”等标识，非处方药使用"
                          "专有标识；准备拆零工具和拆零记录本。尚未购进药品的，按分区设置好货架和标识"
                          "即可。"),
            item("computer-system", 10, veto=True,
                 requirement="建立符合经营和质量管理要求的计算机系统，具备药品购进、验收、储存、销售和"
                             "追溯等功能，满足药品追溯要求；系统权限按岗位设置。",
                 method="现场操作计算机系统，演示购进、验收、销售流程和追溯查询。",
                 guidance="请提前安装调试药品经营管理软件（能够采集药品追溯码），为各岗位建立账号；"
                          "勘验时由质量负责人或执业药师现场演示首营审核、验收入库和销售开票。"),
            item("quality-management-system", 12, title="质量管理文件",
                 requirement="制定符合企业实际的质量管理文件，包括质量管理制度、岗位职责、操作规程、档案、"
                             "记录和凭证，覆盖采购、验收、陈列、销售、处方审核、拆零、温湿度管理、不合格"
                             "药品处理和药品追溯等环节。",
                 method="查阅质量管理文件；抽查岗位人员对本岗位职责和操作规程的掌握情况。",
                 guidance="请准备装订成册、由企业负责人签发的质量管理文件（制度、职责、操作规程、记录"
                          "表单）；各岗位人员应熟悉本岗位职责，勘验人员可能现场提问。"),
            item("purchase-inspection-records", 8,
                 requirement="建立供货单位和购进药品的合法性审核程序，首营企业、首营品种审核资料完整；"
                             "购进、验收记录项目齐全，能够追溯到供货单位。",
                 method="查阅首营审核资料和购进验收记录样式。",
                 guidance="请准备拟合作供货企业的资质证明（药品经营许可证、营业执照、销售人员授权书等）"
                          "和首营审核表；准备购进、验收记录表样式或系统截图。"),
            item("business-licence-display", 7),
        ],
    },
    "SC-DEVICE-01": {
        "title": "第三类医疗器械经营现场核查标准", "pass_score": 85,
        "items": [
            item("premises-layout", 10, title="经营场所",
                 requirement="经营场所与经营范围和经营规模相适应，整洁、卫生；经营场所和库房不得设在"
                             "居民住宅内、军事管理区（不含可租赁区）以及其他不适合经营的场所。",
                 method="现场查看；核对经营场所使用证明和门牌地址。",
                 guidance="请准备经营场所和库房的产权证明或租赁合同、平面图；实际地址须与申请地址一致，"
                          "门牌号清晰可见。"),
            item("warehouse-zoning", 14, veto=True, category=PREMISES, title="库房分区与贮存条件",
                 requirement="库房面积与经营规模相适应，按质量状态分区管理，设待验区、合格品区、不合格"
                             "品区、发货区、退货区等，实行色标管理；库房有防尘、防污染、防虫、防鼠、防潮"
                             "设施，产品离地离墙存放。委托第三方物流贮存的，查验委托协议和受托方条件。",
                 method="现场查看库房分区、色标和设施；测量库房面积；查阅委托贮存协议。",
                 guidance="请按“待验区（黄色）、合格品区和发货区（绿色）、不合格品区（红色）”设置地面"
                          "划线和标识牌，产品离地离墙存放；委托第三方贮存的，准备委托协议和受托方资质。"),
            item("temperature-humidity-monitoring", 12, veto=True,
                 requirement="库房配备温湿度监测设备，温湿度符合所经营医疗器械说明书或标签标示的要求；"
                             "经营需冷藏、冷冻的医疗器械的，配备与经营规模和品种相适应的冷库（冷藏柜）"
                             "及温度自动监测、显示、记录、报警设备。",
                 method="现场读取温湿度显示；查阅监测记录和设备校准证书；演示报警功能。",
                 guidance="请准备温湿度监测设备和校准证书，勘验前开始记录；经营体外诊断试剂等冷藏产品"
                          "的，冷库（冷藏柜）须提前运行，报警功能可现场演示。"),
            item("quality-manager", 14, veto=True, category=STAFF, title="质量负责人",
                 requirement="质量负责人具有医疗器械相关专业大专以上学历或者中级以上专业技术职称，具有"
                             " 3 年以上医疗器械经营质量管理工作经历，在职在岗、不得兼职；质量管理人员"
                             "数量与经营规模相适应。",
                 method="核对学历（职称）证明、工作经历证明和劳动合同；现场询问质量负责人。",
                 guidance="请质量负责人本人在勘验时在场，准备学历或职称证书原件、工作经历证明、劳动合同"
                          "和社保缴纳证明；勘验人员可能询问验收、贮存和不良事件监测要求。"),
            item("staff-health-certificates", 6, title="人员健康检查",
                 requirement="建立员工健康档案，质量管理、验收、库房管理等直接接触医疗器械岗位的人员"
                             "每年至少进行一次健康检查；身体条件不符合岗位要求的，不得从事相关工作。",
                 method="查阅员工健康档案和体检报告。",
                 guidance="请准备相关岗位人员名单和近一年内的体检报告，建立员工健康档案。"),
            item("computer-system", 12, veto=True,
                 requirement="具有符合医疗器械经营质量管理要求的计算机信息管理系统，具备供货者和购货者"
                             "资质审核、采购、收货、验收、贮存、出库复核、销售记录等功能，保证经营的产品"
                             "可追溯。",
                 method="现场操作系统，演示产品从采购到销售的全过程记录及追溯查询。",
                 guidance="请提前部署医疗器械经营管理软件并建立基础数据；勘验时由质量负责人演示资质"
                          "审核、收货验收和追溯查询（可使用测试数据）。"),
            item("quality-management-system", 14, veto=False,
                 requirement="建立覆盖质量管理全过程的经营质量管理制度和工作程序，包括质量管理职责、"
                             "供货者和购货者资格审核、采购、收货、验收、贮存、检查、出库复核、运输、销售、"
                             "售后服务、不合格品处理、退货、不良事件监测和报告、召回、质量追溯等。",
                 method="查阅制度文件；抽查岗位人员对制度的掌握情况。",
                 guidance="请准备由企业负责人签发的质量管理制度和工作程序汇编，以及对应的记录表单。"),
            item("purchase-inspection-records", 10,
                 requirement="建立进货查验记录制度，审核供货者资质和产品注册证，记录产品名称、规格型号、"
                             "注册证编号、生产批号或序列号、有效期、数量、供货者等信息；记录保存至医疗"
                             "器械有效期满后 2 年，无有效期的不少于 5 年，植入类产品永久保存。",
                 method="查阅进货查验记录样式和供货者资质审核资料。",
                 guidance="请准备拟合作供货者的资质审核资料和产品注册证复印件，以及进货查验记录样式或"
                          "系统截图。"),
            item("business-licence-display", 8),
        ],
    },
    "SC-PUB-01": {
        "title": "出版物批发业务现场核查标准", "pass_score": 80,
        "items": [
            item("premises-layout", 25, veto=True, title="经营场所与营业面积",
                 requirement="有固定的经营场所，营业面积合计不少于 50 平方米，地址与营业执照一致，布局"
                             "满足出版物陈列、洽谈和发货需要。",
                 method="现场查看并测量营业面积；核对经营场所使用证明。",
                 guidance="请准备标明营业面积的平面图和经营场所使用证明；营业面积按实际用于出版物批发"
                          "经营的区域计算，勘验时可能现场测量。"),
            item("storage-equipment", 15, category=EQUIPMENT, title="仓储与陈列设备",
                 requirement="具有与批发业务相适应的仓储场所或仓储服务协议，配备货架、样品陈列架和搬运"
                             "设备，出版物分类、离地存放，仓储场所有防火、防潮措施。",
                 method="现场查看仓储场所和设备；查阅仓储服务协议。",
                 guidance="请准备仓储场所使用证明或仓储服务协议、主要设备清单；出版物按类别上架并离地"
                          "存放。"),
            item("computer-system", 20, veto=True, title="发行信息管理系统",
                 requirement="具备符合行业标准的出版物发行信息管理系统，记录出版物进货、销售、库存等"
                             "信息，并能按规定报送发行数据。",
                 method="现场演示信息管理系统的进货、销售和库存查询功能。",
                 guidance="请提前安装出版物发行管理软件并录入基础数据；勘验时由业务负责人演示进货登记、"
                          "批发开单和库存查询。"),
            item("staff-training", 15, title="负责人及发行人员培训",
                 requirement="主要负责人和发行人员熟悉出版物发行法规，经出版物发行业务培训并取得相应"
                             "证明。",
                 method="查阅培训证明；现场询问相关法规知识。",
                 guidance="请准备主要负责人和发行人员的培训证明；勘验时负责人在场，可能被问及禁止发行"
                          "的出版物类型、进货渠道要求等问题。"),
            item("business-management-system", 15,
                 requirement="建立出版物进货查验、购销台账、库存管理、退货、非法出版物发现报告和处置等"
                             "管理制度；从依法批准的出版单位或发行单位进货，购销台账完整。",
                 method="查阅管理制度文本和台账样式。",
                 guidance="请准备管理制度汇编和购销台账样式，以及与出版社、发行单位的合作意向或合同。"),
            item("business-licence-display", 10,
                 requirement="营业执照真实有效，经营范围包含出版物批发业务，名称、住所与申请材料一致；"
                             "营业执照原件在经营场所醒目位置公示。"),
        ],
    },
    "SC-AGRI-01": {
        "title": "农药经营许可现场核查标准", "pass_score": 80,
        "items": [
            item("premises-layout", 15, veto=True, title="营业场所",
                 requirement="有不少于 30 平方米的营业场所，与其他商品、生活区域、饮用水源有效隔离；"
                             "兼营其他农业投入品的，有相对独立的农药经营区域；农药不得与食品、饮料、"
                             "粮食、饲料等混放。",
                 method="现场查看并测量营业场所面积；查看隔离措施和标识。",
                 guidance="请准备营业场所平面图（标明面积和农药专区）；兼营种子、化肥的，用隔断或货架"
                          "将农药区单独分开并设置“农药专区”标识。"),
            item("storage-separation", 15, veto=True, category=PREMISES, title="仓储场所与隔离",
                 requirement="有不少于 50 平方米的仓储场所，与生活区域、饮用水源有效隔离，通风良好，"
                             "有防火、防盗、防渗漏设施；农药分类、分区存放，离地离墙。",
                 method="现场查看并测量仓储场所；查看通风、防火、防盗和防渗漏设施。",
                 guidance="请准备仓储场所的产权证明或租赁合同；地面做防渗处理，配备托盘或货架、通风"
                          "设备、灭火器和防盗门窗；仓库门口张贴“农药仓库 闲人免进”等警示标识。"),
            item("computer-system", 15, veto=True, title="追溯扫码设备与电子台账",
                 requirement="配备可追溯电子信息码扫描识别设备和记载农药购进、储存、销售等电子台账的"
                             "计算机管理系统。",
                 method="现场演示扫码入库、销售开单和台账查询。",
                 guidance="请准备扫码枪和安装好农药经营管理软件的计算机；勘验时扫描一件农药样品的追溯"
                          "码，演示入库和销售登记。"),
            item("technical-staff", 15, veto=True, category=STAFF, title="专业经营人员",
                 requirement="有具备农学、植保、农药等相关专业中专以上学历，或者专业教育培训机构 56 学时"
                             "以上学习经历，熟悉农药管理规定、能够指导安全合理使用农药的经营人员；经营"
                             "限制使用农药的，还应有熟悉限制使用农药使用技术的专业人员。",
                 method="核对学历证书或培训证明原件；现场询问农药安全使用知识。",
                 guidance="请准备经营人员的学历证书或 56 学时培训证明原件；勘验时经营人员在场，可能"
                          "被问及农药安全间隔期、防护措施等问题。"),
            item("protective-equipment", 10, title="安全防护与应急设施",
                 requirement="配备通风、消防、预防中毒等安全防护设施，防护服、防毒口罩、手套等个人防护"
                             "用品，以及农药泄漏应急处置器材（吸附材料、收集容器等）。",
                 method="现场查看防护用品和应急处置器材。",
                 guidance="请在仓库和营业场所配备灭火器和通风设备，准备防护服、口罩、手套、护目镜以及"
                          "沙土或吸附棉和专用收集桶，放在取用方便的位置。"),
            item("business-management-system", 15,
                 requirement="建立进货查验、台账记录、安全管理、安全防护、应急处置、仓储管理、农药废弃物"
                             "回收与处置、使用指导等管理制度和岗位操作规程。",
                 method="查阅制度文本和岗位操作规程；询问负责人执行情况。",
                 guidance="请准备由负责人签发的管理制度和岗位操作规程，主要制度上墙；说明农药包装废弃物"
                          "的回收点位置和处置去向。"),
            item("purchase-inspection-records", 8,
                 requirement="建立采购台账，如实记录农药名称、有关许可证明文件编号、规格、数量、生产企业"
                             "和供货人名称及联系方式、进货日期；建立销售台账，记录销售农药的名称、规格、"
                             "数量、生产企业、购买人、销售日期等；台账保存 2 年以上。",
                 method="查阅采购、销售台账样式和系统记录。",
                 guidance="请准备采购台账和销售台账样式（电子台账截图或打印件），以及拟合作供货企业的"
                          "农药登记证、生产许可证复印件。"),
            item("business-licence-display", 7),
        ],
    },
    "SC-SAFE-01": {
        "title": "危险化学品经营许可现场核查标准", "pass_score": 85,
        "items": [
            item("premises-layout", 12, veto=True, title="经营场所",
                 requirement="经营场所为合法建筑，坐落在交通便利、便于疏散处，建筑物符合《建筑设计防火"
                             "规范》（GB 50016）的要求；不带储存设施经营的，经营场所仅用于办公和票据"
                             "交易，不得存放危险化学品。",
                 method="现场查看经营场所；核对房屋产权或租赁证明。",
                 guidance="请准备经营场所产权证明或租赁合同、房屋结构说明；不带储存设施经营的，经营场所"
                          "内不得存放任何危险化学品样品。"),
            item("hazchem-storage", 14, veto=True, category=PREMISES, title="储存设施",
                 requirement="带有储存设施的，储存场所为专用仓库或储罐区，与周边建筑、场所的安全距离"
                             "符合国家标准；按《危险化学品仓库储存通则》（GB 15603）分区、分类、分库"
                             "储存，禁忌物料不得混存；设置通风、防爆、防静电、温湿度监测等设施和明显的"
                             "安全警示标志。",
                 method="现场查看储存设施；测量或核对安全距离；查阅安全评价报告。",
                 guidance="请准备储存设施的安全评价报告、竣工验收资料和总平面布置图（标明安全距离）；"
                          "仓库门口张贴危险化学品安全周知卡；不带储存设施经营的，本项说明不适用。"),
            item("fire-safety-exits", 12, veto=True,
                 requirement="经营和储存场所按国家标准配置消防设施和灭火器材，安全出口、疏散通道畅通，"
                             "设置应急照明和疏散指示标志；储存易燃易爆危险化学品的，电气设备符合防爆"
                             "要求。"),
            item("safety-officer", 12, veto=True, category=STAFF, title="主要负责人和安全管理人员",
                 requirement="主要负责人和安全生产管理人员经考核合格，取得安全合格证书；设置安全生产"
                             "管理机构或者配备专职安全生产管理人员。",
                 method="核对安全合格证书原件和任命文件；现场询问。",
                 guidance="请准备主要负责人和专职安全管理人员的安全合格证书原件、任命文件和劳动合同；"
                          "两人在勘验时均须在场。"),
            item("staff-training", 8,
                 requirement="从业人员经过专业技术培训并经考核合格；特种作业人员持有效的特种作业"
                             "操作证。",
                 method="查阅培训记录和考核资料；核对特种作业操作证。",
                 guidance="请准备全体从业人员的安全培训记录和考核成绩；涉及特种作业的，准备操作证"
                          "原件。"),
            item("safety-management-system", 12, category=SYSTEM,
                 title="安全生产责任制与规章制度",
                 requirement="建立全员安全生产责任制，制定安全教育培训、安全检查、隐患排查治理、危险"
                             "化学品购销管理等安全管理规章制度和岗位安全操作规程；经营剧毒化学品、易制爆"
                             "危险化学品的，有专门管理制度。",
                 method="查阅责任制和制度文本；抽查岗位人员对操作规程的掌握情况。",
                 guidance="请准备由主要负责人签发的全员安全生产责任制、安全管理制度和岗位安全操作规程"
                          "汇编。"),
            item("emergency-plan", 12, veto=True,
                 requirement="制定符合国家规定的危险化学品事故应急预案并按规定备案，配备必要的应急救援"
                             "器材、设备（如洗眼器、防毒面具、吸附材料等），定期组织演练并记录。",
                 guidance="请准备应急预案备案登记表和最近一次演练记录（含照片）；应急器材放在醒目、"
                          "便于取用的位置，勘验时可能现场检查器材是否完好。"),
            item("sds-labels", 10, category=MANAGEMENT, title="安全技术说明书和安全标签",
                 requirement="经营的危险化学品具有化学品安全技术说明书和化学品安全标签，并向购买单位"
                             "提供；建立危险化学品购销台账，如实记录品种、数量和流向。",
                 method="抽查安全技术说明书和安全标签；查阅购销台账样式。",
                 guidance="请按拟经营品种准备中文安全技术说明书和安全标签样本，以及购销台账样式（含购买"
                          "单位资质查验记录）。"),
            item("business-licence-display", 8),
        ],
    },
    "SW-MED-01": {
        "title": "医疗机构执业登记现场核查标准", "pass_score": 85,
        "items": [
            item("premises-layout", 14, veto=True, title="房屋与功能布局",
                 requirement="房屋建筑面积、功能分区与设置批准书（或备案）及《医疗机构基本标准（试行）》"
                             "一致；诊室、治疗室、处置室、药房、检验等功能用房布局合理，符合医院感染管理"
                             "要求，具备无障碍设施。",
                 method="对照建筑设计平面图现场查看；测量主要功能用房面积。",
                 guidance="请准备建筑设计平面图（标明科室、功能用房和面积）、房屋产权证明或租赁合同；"
                          "在各科室门口张贴科室标牌，勘验时逐科室展示。"),
            item("infection-control", 12, veto=True, category=PREMISES, title="医院感染防控设施",
                 requirement="清洁区、潜在污染区、污染区划分明确；诊疗区域配备手卫生设施和速干手消毒剂；"
                             "自行消毒灭菌或与有资质的消毒供应中心签订协议，口腔、内镜等诊疗器械的清洗"
                             "消毒灭菌符合规范。",
                 method="现场查看分区、手卫生设施和消毒灭菌设备；查阅消毒供应协议和灭菌监测记录。",
                 guidance="请在各诊室配备洗手池、洗手液和速干手消毒剂并张贴洗手步骤图；自行灭菌的准备"
                          "灭菌器检测报告和监测记录，委托消毒供应的准备委托协议。"),
            item("medical-equipment", 12, category=EQUIPMENT, title="医疗设备与急救设备",
                 requirement="配备与诊疗科目相适应的基本设备和急救设备、急救药品，设备有合格证明，属于"
                             "计量器具和特种设备的经检定或检验合格。",
                 method="对照设备清单现场查看；抽查急救设备和药品有效期。",
                 guidance="请准备医疗设备清单（名称、型号、数量、所在科室）和合格证明；急救车按清单备齐"
                          "药品和器械，药品在有效期内。"),
            item("medical-waste", 10, veto=True, category=EQUIPMENT, title="医疗废物暂存与处置",
                 requirement="设医疗废物暂时贮存设施，远离诊疗区和人员活动区，有防渗漏、防鼠、防蚊蝇、"
                             "防盗措施和警示标识；医疗废物分类收集，与有资质的集中处置单位签订处置协议。",
                 method="现场查看暂存设施和分类收集容器；查阅处置协议和交接登记。",
                 guidance="请准备医疗废物暂存间（或暂存柜）并张贴警示标识，各诊室配备医疗废物专用袋和"
                          "利器盒；准备与处置单位签订的协议和交接登记本。"),
            item("licensed-medical-staff", 16, veto=True,
                 requirement="卫生技术人员的数量和资质符合《医疗机构基本标准（试行）》；医师、护士等持"
                             "执业证书，执业注册在本机构，执业范围与所在科室相符；科室负责人具备相应"
                             "资格。",
                 method="核对人员名册与资格证书、执业证书原件和注册信息；抽查在岗人员。",
                 guidance="请准备卫生技术人员名册（姓名、科室、资格证号、执业证号、职称）和证书原件；"
                          "变更注册尚在办理的，准备受理回执。"),
            item("medical-quality-system", 12, category=SYSTEM, title="医疗质量与安全管理制度",
                 requirement="结合机构类别建立医疗质量安全核心制度（首诊负责、查对、病历管理、危急值"
                             "报告等）、医院感染管理、消毒隔离、药事管理、医疗纠纷预防与处理等规章制度，"
                             "明确各岗位职责。",
                 method="查阅制度汇编；抽查医务人员对核心制度的掌握情况。",
                 guidance="请准备规章制度和岗位职责汇编，重点准备查对、消毒隔离和医疗废物管理制度的"
                          "执行记录表单。"),
            item("fire-safety-exits", 8),
            item("emergency-plan", 8, title="急救与应急预案",
                 requirement="制定医疗突发事件和患者急救应急预案，急救设备、药品处于备用状态，医务人员"
                             "掌握心肺复苏等急救技能。",
                 method="查阅应急预案和演练记录；现场查看急救设备；抽查急救技能。",
                 guidance="请准备应急预案和最近一次急救演练记录；勘验时急救设备处于备用状态，可能随机"
                          "抽取医务人员演示心肺复苏。"),
            item("name-and-price-disclosure", 8, title="名称与诊疗信息公示",
                 requirement="机构名称牌匾与设置批准书（备案）核定的名称一致；在显著位置公示诊疗科目、"
                             "诊疗时间、医务人员信息和收费标准。",
                 method="现场查看牌匾和公示内容。",
                 guidance="请按核定名称制作牌匾；在候诊区公示诊疗科目、诊疗时间、医务人员信息和收费"
                          "项目及标准。"),
        ],
    },
    "SW-RAD-01": {
        "title": "放射诊疗许可现场核查标准", "pass_score": 85,
        "items": [
            item("radiation-shielding", 15, veto=True, category=PREMISES, title="机房布局与屏蔽防护",
                 requirement="放射诊疗机房面积、最小单边长度和屏蔽防护符合《放射诊断放射防护要求》"
                             "（GBZ 130）等标准；机房门外设电离辐射警告标志和工作状态指示灯，灯箱处设"
                             "警示语句，机房门与工作状态指示灯有效关联；候诊区与机房分开。",
                 method="现场查看并测量机房；查看警告标志、指示灯和门灯关联；核对防护检测报告。",
                 guidance="请准备机房平面图和屏蔽设计说明；检查门外电离辐射警告标志和“射线有害、灯亮"
                          "勿入”等警示语是否齐全，勘验时现场演示曝光时指示灯亮起。"),
            item("radiation-test-reports", 12, veto=True, category=EQUIPMENT,
                 title="设备性能与场所防护检测",
                 requirement="放射诊疗设备经有资质的技术服务机构验收检测（或状态检测）合格；工作场所"
                             "放射防护检测合格；建设项目已完成职业病危害放射防护预评价和控制效果评价。",
                 method="查阅检测报告和评价报告，核对设备型号、编号与现场一致。",
                 guidance="请准备设备验收检测报告、工作场所放射防护检测报告、预评价和控制效果评价报告"
                          "及审查意见；设备铭牌须清晰，便于核对型号和编号。"),
            item("protective-equipment", 10, title="放射防护用品与监测仪器",
                 requirement="按规定配备工作人员和受检者的个人防护用品（铅橡胶围裙、铅橡胶颈套、铅防护"
                             "眼镜等），数量与工作量相适应、铅当量符合标准；配备必要的辐射监测仪器。",
                 method="现场清点防护用品并查看铅当量标识；查看监测仪器及检定证书。",
                 guidance="请将工作人员和受检者防护用品（含儿童用）集中悬挂在机房内便于取用处；准备防护"
                          "用品清单和监测仪器检定证书。"),
            item("radiation-staff", 15, veto=True, category=STAFF, title="放射工作人员",
                 requirement="从事放射诊疗的医师、技师具备相应资质，医师执业范围包含医学影像和放射治疗"
                             "专业；放射工作人员经放射防护和有关法规知识培训考核合格，持放射工作人员证，"
                             "上岗前进行职业健康检查。",
                 method="核对资格证书、执业证书、放射工作人员证和职业健康检查报告。",
                 guidance="请准备放射诊疗医师、技师的资格证、执业证、放射工作人员证和岗前职业健康检查"
                          "报告原件；相关人员在勘验时在岗。"),
            item("dose-monitoring-records", 10, category=MANAGEMENT, title="个人剂量监测与健康档案",
                 requirement="放射工作人员佩戴个人剂量计，委托有资质的机构进行个人剂量监测，常规监测"
                             "周期最长不超过 3 个月；建立个人剂量监测档案和职业健康监护档案。",
                 method="查阅个人剂量监测报告和职业健康监护档案；现场查看剂量计佩戴情况。",
                 guidance="请准备个人剂量监测委托协议和最近一期监测报告；放射工作人员勘验时按规定佩戴"
                          "个人剂量计。"),
            item("radiation-qc-system", 12, category=SYSTEM, title="质量控制与安全防护管理制度",
                 requirement="设质量控制与安全防护专（兼）职管理人员；建立放射诊疗质量保证方案、设备"
                             "检测与维护、受检者防护、工作人员防护、个人剂量监测等管理制度和操作规程。",
                 method="查阅制度文本和人员任命文件。",
                 guidance="请准备放射防护管理人员任命文件、质量保证方案和管理制度汇编，设备操作规程张贴"
                          "在操作间。"),
            item("emergency-plan", 10, title="放射事件应急预案",
                 requirement="制定放射事件应急处理预案，明确报告程序和处置措施，定期组织演练。",
                 guidance="请准备放射事件应急处理预案和演练记录；操作间张贴应急处置流程和报告电话。"),
            item("institution-licence-scope", 8, category=MANAGEMENT, title="执业许可与诊疗科目",
                 requirement="已取得医疗机构执业许可证（或设置批准），核准的诊疗科目包含医学影像科相应"
                             "专业；申请开展的放射诊疗项目与设备、人员条件相适应。",
                 method="核对医疗机构执业许可证正、副本。",
                 guidance="请准备医疗机构执业许可证正、副本原件；申请开展的项目须在诊疗科目范围内。"),
            item("patient-protection-notice", 8, category=MANAGEMENT, title="受检者告知与防护",
                 requirement="在候诊区等显著位置设置放射危害告知和防护提示；对受检者邻近照射野的敏感"
                             "器官和组织进行屏蔽防护；对育龄妇女和儿童检查前履行告知。",
                 method="现场查看告知设施；请技师演示受检者防护操作。",
                 guidance="请在候诊区张贴放射防护告知书；技师勘验时可能被要求演示为受检者穿戴防护"
                          "用品。"),
        ],
    },
    "SW-EDU-01": {
        "title": "民办职业培训学校设立现场核查标准", "pass_score": 80,
        "items": [
            item("school-premises", 15, veto=True, category=PREMISES, title="办学场所",
                 requirement="有与培训规模相适应的固定办学场所，为非住宅用途的合法建筑；租用的，租赁"
                             "期限满足办学周期需要；校舍安全，采光、通风、照明符合要求。",
                 method="现场查看并测量校舍面积；核对产权证明或租赁合同。",
                 guidance="请准备校舍产权证明或租赁合同、建筑平面图（标明教室、实训场地、办公室等）；"
                          "校舍须为非住宅用途。"),
            item("classrooms", 12, category=PREMISES, title="教室与实训场地",
                 requirement="理论教室和实习（实训）场地与开设的培训专业（工种）及招生规模相适应，实训"
                             "场地能够满足实际操作训练需要。",
                 method="现场查看教室和实训场地；对照教学计划核对。",
                 guidance="请按培训专业布置好教室和实训场地并设置门牌；准备教室、实训场地清单（面积、"
                          "可容纳人数）。"),
            item("training-equipment", 12, category=EQUIPMENT, title="教学与实训设备",
                 requirement="配备与培训专业（工种）相适应的教学设施设备和实训设备，数量满足分组实训"
                             "需要，运行正常。",
                 method="对照设备清单现场查看；抽查设备运行。",
                 guidance="请准备教学设施设备清单（名称、数量、用于哪个工种）及购置凭证；勘验时设备处于"
                          "可运行状态。"),
            item("fire-safety-exits", 12, veto=True,
                 requirement="办学场所已依法通过消防验收、备案或取得消防安全检查合格意见；安全出口、"
                             "疏散通道畅通，设应急照明和疏散指示标志，配置灭火器材。"),
            item("teaching-staff", 15, veto=True, category=STAFF, title="校长与教师",
                 requirement="校长具有相应的学历、职业资格或专业技术职称和教育管理经验；专职教师数量与"
                             "培训规模相适应，教师具备与所授课程相应的职业资格或专业技术职称；聘任合同"
                             "齐全。",
                 method="核对校长、教师名册与资格证书、聘任合同原件。",
                 guidance="请准备校长和教师名册（姓名、学历、职业资格或职称、任教专业、专兼职）及证书"
                          "原件、聘任合同；校长本人在勘验时在场。"),
            item("finance-staff", 6, category=STAFF, title="财会人员",
                 requirement="配备具有相应专业能力的专职财会人员，会计与出纳不得由同一人兼任。",
                 method="核对财会人员证明材料和聘任合同。",
                 guidance="请准备财会人员的学历或专业资格证明和聘任合同。"),
            item("school-governance", 12, category=SYSTEM, title="章程与管理制度",
                 requirement="有规范的学校章程和决策机构；建立教学管理、学员管理、师资管理、财务管理、"
                             "安全管理、收费退费等管理制度。",
                 method="查阅章程、决策机构组成文件和管理制度。",
                 guidance="请准备经举办者签署的学校章程、首届决策机构成员名单和管理制度汇编；收费退费"
                          "办法须写明退费标准和程序。"),
            item("teaching-plan", 8, category=MANAGEMENT, title="教学计划与教材",
                 requirement="每个培训专业（工种）有教学计划、教学大纲和选用教材，课时安排符合国家职业"
                             "技能标准要求。",
                 method="查阅教学计划、大纲和教材目录。",
                 guidance="请准备各培训专业的教学计划、教学大纲、教材目录和样书。"),
            item("name-and-price-disclosure", 8, title="收费与办学信息公示",
                 requirement="在显著位置公示办学许可事项、培训项目、收费标准、退费办法和投诉电话；招生"
                             "简章和广告内容真实。",
                 method="现场查看公示栏；查阅招生简章样稿。",
                 guidance="请在接待区设置公示栏，公示培训项目、收费标准、退费办法和投诉电话；招生简章"
                          "样稿须与申报内容一致。"),
        ],
    },
    "TJ-WATER-01": {
        "title": "城镇污水排入排水管网许可现场核查标准", "pass_score": 80,
        "items": [
            item("grease-trap", 20, veto=True, category=EQUIPMENT, title="预处理设施",
                 requirement="按排水性质建设相应的预处理设施：餐饮排水户设隔油池（器），洗车排水户设"
                             "沉淀池，医疗排水户设消毒处理设施；设施容量与排水量相适应，运行正常。",
                 method="现场查看预处理设施；核对设施规格与申报资料。",
                 guidance="请在勘验前清掏一次隔油池（器），确保运行正常；准备设施的产品说明或施工资料"
                          "（容量、规格）；设施盖板可开启以便查看。"),
            item("rain-sewage-separation", 20, veto=True, category=PREMISES, title="雨污分流",
                 requirement="内部排水管网实行雨水、污水分流，污水经预处理后接入市政污水管网，不得接入"
                             "雨水管网或直接排入河道。",
                 method="现场查看管网走向；必要时开井查看或做通水试验。",
                 guidance="请准备内部排水管网图，标明雨水、污水管线和检查井位置；勘验时打开相关检查井"
                          "盖板，配合通水试验。"),
            item("sampling-well", 15, category=EQUIPMENT, title="专用检测井",
                 requirement="在排放口与市政管网接驳处上游设置便于采样和水量计量的专用检测井，标识"
                             "清晰。",
                 method="现场查看检测井位置和标识。",
                 guidance="请在检测井井盖或旁边设置“污水检测井”标识，保持井内清洁、可随时采样。"),
            item("discharge-outlets", 10, category=PREMISES, title="排放口",
                 requirement="污水排放口的数量、位置和口径与申报图纸一致，符合城镇排水与污水处理规划"
                             "要求。",
                 method="对照图纸现场查看排放口。",
                 guidance="请在图纸上标注每个排放口的编号、位置和口径，勘验时逐一指认。"),
            item("effluent-quality", 15, category=MANAGEMENT, title="排水水质",
                 requirement="排放的污水符合《污水排入城镇下水道水质标准》（GB/T 31962）；已开始排水的，"
                             "提供有资质机构出具的水质检测报告。",
                 method="查阅水质检测报告；必要时现场采样。",
                 guidance="已开业的请准备近期水质检测报告；尚未开业、按告知承诺办理的，可在许可后按承诺"
                          "期限补交。"),
            item("pretreatment-maintenance", 10, category=SYSTEM, title="设施运行维护制度",
                 requirement="建立预处理设施运行维护制度，明确责任人，定期清掏并记录；隔油池废油、污泥"
                             "交有资质的单位处置，不得倾倒入排水管网。",
                 method="查阅维护制度、清掏记录和处置协议。",
                 guidance="请准备设施维护制度、清掏记录表和与餐厨废弃物收运单位签订的协议。"),
            item("business-licence-display", 10),
        ],
    },
    "TJ-SIGN-01": {
        "title": "户外广告设施和门头招牌设置现场核查标准", "pass_score": 80,
        "items": [
            item("sign-position", 20, veto=True, category=PREMISES, title="设置位置",
                 requirement="设置位置符合户外广告设施设置规划和市容标准，不遮挡建筑物窗户、消防登高面、"
                             "安全出口和交通标志，不影响市政公用设施使用和相邻住户采光、通风。",
                 method="现场查看设置位置及周边；对照效果图核对。",
                 guidance="请准备设置位置的现场照片（含建筑全貌和周边环境）和效果图；视频勘验时请先拍摄"
                          "建筑整体立面，再拉近拍摄设置位置。"),
            item("sign-dimensions", 15, category=PREMISES, title="规格与样式",
                 requirement="规格、材质、色彩与申报的效果图一致，与建筑立面协调；门头招牌一店一招，"
                             "不超出建筑物外轮廓。",
                 method="现场测量设施尺寸；对照效果图核对。",
                 guidance="请在效果图上标注长、宽、厚度和离地高度；已安装的，勘验时配合现场测量。"),
            item("sign-structure", 20, veto=True, category=EQUIPMENT, title="结构安全",
                 requirement="设施结构牢固，与建筑物连接可靠，金属构件做防锈处理；大型户外广告设施有结构"
                             "设计文件和安全检测报告。",
                 method="现场查看连接部位和构件；查阅结构设计和安全检测报告。",
                 guidance="请准备施工单位出具的结构安全说明或检测报告；勘验时请施工人员在场，介绍固定"
                          "方式和承重构件。"),
            item("sign-lighting", 10, category=EQUIPMENT, title="亮化与电气安全",
                 requirement="设有亮化设施的，电气线路穿管敷设，防水、防漏电，设漏电保护装置，灯光不对"
                             "居民住宅和交通造成光污染或干扰。",
                 method="现场查看线路敷设和漏电保护装置；必要时通电检查。",
                 guidance="有亮化的，请准备电工操作证复印件和电气安装说明；无亮化的，本项说明不适用。"),
            item("sign-content", 15, category=MANAGEMENT, title="内容与文字规范",
                 requirement="招牌名称与营业执照登记的名称（或字号）一致，使用规范汉字，使用外文的须与"
                             "中文同时使用；广告内容符合《中华人民共和国广告法》。",
                 method="核对营业执照与招牌文字；查看广告内容。",
                 guidance="请准备营业执照复印件和招牌文字稿；使用外文或拼音的，确保中文醒目。"),
            item("sign-maintenance", 10, category=SYSTEM, title="安全管理与维护",
                 requirement="明确设施安全管理责任人，建立定期检查维护制度，大风、暴雨等恶劣天气前后进行"
                             "安全巡查并记录。",
                 method="查阅安全管理承诺书和维护记录样式。",
                 guidance="请准备签署的设施安全管理承诺书和检查维护记录表，写明安全责任人和联系电话。"),
            item("site-use-consent", 10, category=MANAGEMENT, title="场地使用权",
                 requirement="设置者具有设置场地的产权或者使用权；利用他人建筑物设置的，取得产权人或"
                             "业主委员会（物业）的书面同意。",
                 method="核对产权证明、租赁合同或同意书。",
                 guidance="请准备场地产权证明或租赁合同；利用建筑外墙的，准备产权人或业主委员会（物业）"
                          "出具的同意书。"),
        ],
    },
}


def _figures_media(spec: dict) -> dict[str, list]:
    """The spec's figures drawn and stored: {item key: [stored media]}."""
    media: dict[str, list] = {}
    for key, caption, figure in spec.get("figures", ()):
        media.setdefault(key, []).append(
            media_store(io.BytesIO(render_png(figure)), caption=caption))
    return media


def load_standards(tally: Tally | None = None) -> int:
    """Publish version 1 (首版) of the standard of every demo matter that has none yet;
    returns how many were published."""
    published = 0
    for matter in Matter.objects.filter(code__in=STANDARDS).order_by("code"):
        if Standard.objects.filter(matter=matter).exists():
            if tally is not None:
                tally.add(Standard, "unchanged")
            continue
        spec = STANDARDS[matter.code]
        media = _figures_media(spec)
        items = [{**i, "media": media.get(i["key"], [])}
                 for i in sorted(spec["items"], key=lambda i: CATEGORY_ORDER[i["category"]])]
        standard_publish(matter=matter, items=items, by=None, note="首版",
                         pass_score=spec["pass_score"], code=f"KY-{matter.code}",
                         title=spec["title"])
        published += 1
        if tally is not None:
            tally.add(Standard, "created")
    return published
