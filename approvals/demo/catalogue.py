"""Demo catalogue as plain data: matters (with materials and application forms) and bundles.

The matters are the ones the seeds name (食品经营许可、小餐饮登记、药品零售、第三类医疗器械、
公共场所卫生许可（即办件，8分钟）、医疗机构执业许可、放射诊疗、民办职业培训学校、出版物批发、
农药经营、集体用餐配送、安全生产类许可 …). Legal bases are the real laws, regulations and
ministerial rules; statutory limits are those rules' limits as the bureaus' guides list them,
and promised limits are shorter, as the reform does (seed 003: 民办职业培训学校 20 working
days, 安全生产类许可 12 working days). ``approvals.demo.builders`` loads this data.

A material is ``(name, kind, copies, description)`` where kind is ``REQUIRED`` (key
material, must be filed), ``TOLERABLE`` (required, but 容缺受理 may accept it later) or
``OPTIONAL``. A form field is ``{"name", "label", "type", "required"[, "choices"]}`` with
type one of text / textarea / number / date / select.
"""

from __future__ import annotations

from decimal import Decimal

REQUIRED, TOLERABLE, OPTIONAL = "required", "tolerable", "optional"
FREE = Decimal("0")

_FOOD_LAW = "《中华人民共和国食品安全法》第三十五条"
_FOOD_RULES = "《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）"
_LICENCE_FORM = ("申请书（申请表）", REQUIRED, "原件1份", "法定代表人（负责人）签字并加盖公章")
_BUSINESS_LICENCE = ("营业执照或者其他主体资格证明文件", REQUIRED, "复印件1份",
                     "可通过部门数据共享获取的，免于提交")
_PREMISES = ("经营场所使用证明（不动产权证书或者租赁合同）", REQUIRED, "复印件1份",
             "租赁的须提供出租方产权证明")
_PROXY = ("委托他人办理的，授权委托书及受托人身份证明", OPTIONAL, "原件1份", "")
_NOTE = {"name": "note", "label": "其他需要说明的情况", "type": "textarea", "required": False}


def _stages(review: int, inspection: int, decision: int, issue: int = 1,
            acceptance: int = 1) -> dict[str, int]:
    return {"acceptance": acceptance, "review": review, "inspection": inspection,
            "decision": decision, "issue": issue}


MATTERS: list[dict] = [
    {
        "code": "SC-FOOD-01", "name": "食品经营许可", "section": "SC", "industry": "餐饮服务",
        "legal_basis": f"{_FOOD_LAW}；{_FOOD_RULES}",
        "conditions": "具有与经营的食品品种、数量相适应的食品原料处理和食品加工、销售、贮存等场所，"
                      "并与有毒、有害场所以及其他污染源保持规定的距离；具有相适应的经营设备或者设施；"
                      "有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；具有合理的设备布局和工艺流程。",
        "statutory_days": 10, "promised_days": 4, "stage_limits": _stages(1, 1, 1),
        "fee": FREE, "risk_level": "medium", "needs_inspection": True,
        "inspection_modes": ("video", "onsite", "rectification"),
        "needs_expert_review": False, "commitment_eligible": True, "single_approver": False,
        "form_schema": [
            {"name": "business_format", "label": "主体业态", "type": "select", "required": True,
             "choices": ["食品销售经营者", "餐饮服务经营者", "单位食堂"]},
            {"name": "business_items", "label": "经营项目", "type": "select", "required": True,
             "choices": ["热食类食品制售", "冷食类食品制售", "生食类食品制售", "半成品制售",
                         "自制饮品制售", "散装食品销售", "预包装食品销售（含冷藏冷冻食品）"]},
            {"name": "floor_area", "label": "经营场所面积（平方米）", "type": "number", "required": True},
            {"name": "staff_count", "label": "从业人员数", "type": "number", "required": True},
            {"name": "safety_manager", "label": "食品安全管理人员", "type": "text", "required": True},
            {"name": "online_sales", "label": "是否网络经营", "type": "select", "required": True,
             "choices": ["否", "是"]},
            _NOTE,
        ],
        "materials": [
            _LICENCE_FORM, _BUSINESS_LICENCE, _PREMISES,
            ("经营场所平面图和设备布局图、操作流程说明", REQUIRED, "1份",
             "餐饮服务经营者须标明加工制作区域、清洗消毒设施和通风排烟设施"),
            ("食品安全管理制度目录（进货查验、从业人员健康管理、食品安全自查、事故处置）",
             TOLERABLE, "1份", "可先行受理，现场勘验前补交"),
            ("食品安全管理人员培训考核合格证明", TOLERABLE, "复印件1份", ""),
            _PROXY,
        ],
    },
    {
        "code": "SC-FOOD-02", "name": "小餐饮登记（食品小经营店备案）", "section": "SC",
        "industry": "餐饮服务",
        "legal_basis": "《中华人民共和国食品安全法》第三十六条；《山西省食品小作坊小经营店小摊点管理条例》",
        "conditions": "有固定经营场所，经营场所面积较小、从业人员较少；有符合要求的食品加工、贮存设施和"
                      "清洗消毒设施；从业人员持有有效健康证明。",
        "statutory_days": 10, "promised_days": 2, "stage_limits": _stages(1, 1, 0, 0),
        "fee": FREE, "risk_level": "low", "needs_inspection": True,
        "inspection_modes": ("video", "rectification"),
        "needs_expert_review": False, "commitment_eligible": True, "single_approver": False,
        "form_schema": [
            {"name": "shop_type", "label": "经营类别", "type": "select", "required": True,
             "choices": ["小餐馆", "小吃店", "早餐店", "饮品店", "熟食店"]},
            {"name": "floor_area", "label": "经营面积（平方米）", "type": "number", "required": True},
            {"name": "staff_count", "label": "从业人员数", "type": "number", "required": True},
            {"name": "health_cert_no", "label": "经营者健康证明编号", "type": "text", "required": True},
            {"name": "opening_date", "label": "拟开业日期", "type": "date", "required": False},
        ],
        "materials": [
            ("食品小经营店登记（备案）申请表", REQUIRED, "原件1份", "经营者签字"),
            ("经营者身份证明", REQUIRED, "复印件1份", ""),
            ("营业执照（个体工商户）", REQUIRED, "复印件1份", "可通过部门数据共享获取的，免于提交"),
            _PREMISES,
            ("经营场所平面布局示意图", REQUIRED, "1份", "标明加工、就餐、清洗消毒区域"),
            ("从业人员健康证明", TOLERABLE, "复印件1份", "可先行受理，勘验前补交"),
            ("食品安全承诺书", REQUIRED, "原件1份", ""),
        ],
    },
    {
        "code": "SC-FOOD-03", "name": "食品经营许可（集体用餐配送单位）", "section": "SC",
        "industry": "餐饮服务",
        "legal_basis": f"{_FOOD_LAW}；{_FOOD_RULES}；"
                       "《餐饮服务食品安全操作规范》（国家市场监督管理总局公告2018年第12号）",
        "conditions": "具有与配送规模相适应的食品处理区和冷却、分装、配送设施；设置检验室并配备检验人员；"
                      "配备封闭式专用配送车辆及保温或冷藏设施；建立食品安全追溯和留样制度。",
        "statutory_days": 10, "promised_days": 6, "stage_limits": _stages(1, 3, 1),
        "fee": FREE, "risk_level": "high", "needs_inspection": True,
        "inspection_modes": ("onsite", "rectification"),
        "needs_expert_review": False, "commitment_eligible": False, "single_approver": False,
        "form_schema": [
            {"name": "daily_capacity", "label": "日配送能力（份/餐）", "type": "number", "required": True},
            {"name": "delivery_area", "label": "配送范围", "type": "textarea", "required": True},
            {"name": "vehicle_count", "label": "专用配送车辆数", "type": "number", "required": True},
            {"name": "lab_area", "label": "检验室面积（平方米）", "type": "number", "required": True},
            {"name": "cooling", "label": "冷却方式", "type": "select", "required": True,
             "choices": ["热链配送（60℃以上）", "冷链配送（8℃以下）"]},
            {"name": "safety_manager", "label": "食品安全管理人员", "type": "text", "required": True},
        ],
        "materials": [
            _LICENCE_FORM, _BUSINESS_LICENCE, _PREMISES,
            ("食品处理区平面图、设备布局图和工艺流程图", REQUIRED, "1份", "标明分装间、冷却设施和检验室"),
            ("食品安全管理制度及食品留样、追溯制度", REQUIRED, "1份", ""),
            ("配送车辆及保温（冷藏）设施清单", REQUIRED, "1份", "附车辆行驶证复印件"),
            ("检验室设置及检验人员情况说明", TOLERABLE, "1份", ""),
            ("食品安全管理人员培训考核合格证明", TOLERABLE, "复印件1份", ""),
        ],
    },
    {
        "code": "SC-FOOD-04", "name": "食品生产许可", "section": "SC", "industry": "食品生产",
        "legal_basis": f"{_FOOD_LAW}；《食品生产许可管理办法》（国家市场监督管理总局令第24号）",
        "conditions": "具有与生产的食品品种、数量相适应的生产场所、设备设施、专业技术人员和管理人员，"
                      "具有合理的设备布局和工艺流程，有保证食品安全的规章制度。",
        "statutory_days": 10, "promised_days": 5, "stage_limits": _stages(1, 2, 1),
        "fee": FREE, "risk_level": "high", "needs_inspection": True,
        "inspection_modes": ("onsite", "rectification"),
        "needs_expert_review": False, "commitment_eligible": False, "single_approver": False,
        "form_schema": [
            {"name": "food_category", "label": "食品类别", "type": "select", "required": True,
             "choices": ["粮食加工品", "食用油、油脂及其制品", "调味品", "肉制品", "饮料",
                         "方便食品", "糕点", "豆制品", "酒类"]},
            {"name": "product_names", "label": "产品名称及执行标准", "type": "textarea", "required": True},
            {"name": "plant_area", "label": "生产场所面积（平方米）", "type": "number", "required": True},
            {"name": "capacity", "label": "设计生产能力", "type": "text", "required": True},
        ],
        "materials": [
            ("食品生产许可申请书", REQUIRED, "原件1份", ""),
            _BUSINESS_LICENCE,
            ("食品生产加工场所及其周围环境平面图", REQUIRED, "1份", ""),
            ("各功能区间布局平面图、工艺设备布局图", REQUIRED, "1份", ""),
            ("食品生产工艺流程图", REQUIRED, "1份", ""),
            ("食品生产主要设备、设施清单", REQUIRED, "1份", ""),
            ("食品安全专业技术人员、管理人员信息和食品安全管理制度", TOLERABLE, "1份", ""),
            ("产品执行的食品安全标准（企业标准须备案）", TOLERABLE, "1份", ""),
        ],
    },
    {
        "code": "SC-DRUG-01", "name": "药品零售企业许可（药品经营许可证核发）", "section": "SC",
        "industry": "药品零售",
        "legal_basis": "《中华人民共和国药品管理法》第五十一条、第五十二条；"
                       "《药品经营和使用质量监督管理办法》（国家市场监督管理总局令第84号）；"
                       "《药品经营质量管理规范》",
        "conditions": "有依法经过资格认定的药师或者其他药学技术人员；有与所经营药品相适应的营业场所、"
                      "设备、仓储设施和卫生环境；有与所经营药品相适应的质量管理机构或者人员；"
                      "有保证药品质量的规章制度，并符合药品经营质量管理规范要求。",
        "statutory_days": 20, "promised_days": 8, "stage_limits": _stages(2, 2, 2),
        "fee": FREE, "risk_level": "high", "needs_inspection": True,
        "inspection_modes": ("video", "onsite", "rectification"),
        "needs_expert_review": False, "commitment_eligible": False, "single_approver": False,
        "form_schema": [
            {"name": "mode", "label": "经营方式", "type": "select", "required": True,
             "choices": ["零售（单体药店）", "零售连锁门店"]},
            {"name": "scope", "label": "经营范围", "type": "select", "required": True,
             "choices": ["中药饮片、中成药、化学药、生物制品", "中成药、化学药", "乙类非处方药"]},
            {"name": "floor_area", "label": "营业面积（平方米）", "type": "number", "required": True},
            {"name": "pharmacist", "label": "执业药师姓名", "type": "text", "required": True},
            {"name": "pharmacist_reg_no", "label": "执业药师注册证编号", "type": "text", "required": True},
            {"name": "warehouse", "label": "仓库地址（无仓库的填“无”）", "type": "text", "required": False},
        ],
        "materials": [
            ("药品经营许可证申请表", REQUIRED, "原件1份", ""),
            _BUSINESS_LICENCE,
            ("经营场所和仓库使用证明", REQUIRED, "复印件1份", ""),
            ("经营场所、仓库平面布局图", REQUIRED, "1份", ""),
            ("企业负责人、质量负责人身份证明、学历证明及执业药师注册证", REQUIRED, "复印件1份", ""),
            ("质量管理文件目录及主要设施设备目录", TOLERABLE, "1份", ""),
            ("计算机管理系统说明", TOLERABLE, "1份", "须能实现药品追溯"),
            _PROXY,
        ],
    },
    {
        "code": "SC-DEVICE-01", "name": "第三类医疗器械经营许可", "section": "SC",
        "industry": "医疗器械",
        "legal_basis": "《医疗器械监督管理条例》（国务院令第739号）第四十二条；"
                       "《医疗器械经营监督管理办法》（国家市场监督管理总局令第54号）；《医疗器械经营质量管理规范》",
        "conditions": "有与经营范围和经营规模相适应的质量管理机构或者质量管理人员，质量管理人员具有相关专业"
                      "学历或者职称；有相适应的经营场所和贮存条件；有相适应的质量管理制度和计算机信息管理系统。",
        "statutory_days": 20, "promised_days": 10, "stage_limits": _stages(3, 3, 2),
        "fee": FREE, "risk_level": "high", "needs_inspection": True,
        "inspection_modes": ("video", "onsite", "rectification"),
        "needs_expert_review": False, "commitment_eligible": False, "single_approver": False,
        "form_schema": [
            {"name": "mode", "label": "经营方式", "type": "select", "required": True,
             "choices": ["批发", "零售", "批零兼营"]},
            {"name": "scope", "label": "经营范围（分类编码）", "type": "textarea", "required": True},
            {"name": "warehouse", "label": "库房地址", "type": "text", "required": True},
            {"name": "warehouse_area", "label": "库房面积（平方米）", "type": "number", "required": True},
            {"name": "quality_manager", "label": "质量负责人", "type": "text", "required": True},
            {"name": "third_party_logistics", "label": "是否委托第三方物流贮存", "type": "select",
             "required": True, "choices": ["否", "是"]},
        ],
        "materials": [
            ("医疗器械经营许可申请表", REQUIRED, "原件1份", ""),
            _BUSINESS_LICENCE,
            ("法定代表人、企业负责人、质量负责人身份证明、学历或者职称证明", REQUIRED, "复印件1份", ""),
            ("组织机构与部门设置说明", REQUIRED, "1份", ""),
            ("经营范围、经营方式说明", REQUIRED, "1份", ""),
            ("经营场所、库房地理位置图、平面图及使用证明", REQUIRED, "1份", ""),
            ("经营设施、设备目录", REQUIRED, "1份", ""),
            ("经营质量管理制度、工作程序等文件目录", TOLERABLE, "1份", ""),
            ("计算机信息管理系统基本情况介绍和功能说明", TOLERABLE, "1份", ""),
        ],
    },
    {
        "code": "SC-PUB-01", "name": "出版物批发业务许可", "section": "SC", "industry": "出版物发行",
        "legal_basis": "《出版管理条例》第三十五条；《出版物市场管理规定》（国家新闻出版广电总局、商务部令第10号）",
        "conditions": "已取得营业执照且经营范围含出版物批发业务；有与出版物批发业务相适应的设备和固定的"
                      "经营场所，经营场所营业面积不少于50平方米；具备健全的管理制度并具有符合行业标准的信息管理系统。",
        "statutory_days": 20, "promised_days": 10, "stage_limits": _stages(3, 3, 2),
        "fee": FREE, "risk_level": "low", "needs_inspection": True,
        "inspection_modes": ("video", "onsite"),
        "needs_expert_review": False, "commitment_eligible": True, "single_approver": False,
        "form_schema": [
            {"name": "scope", "label": "经营范围", "type": "select", "required": True,
             "choices": ["图书、报纸、期刊、音像制品、电子出版物批发", "图书、期刊批发"]},
            {"name": "floor_area", "label": "营业面积（平方米）", "type": "number", "required": True},
            {"name": "capital", "label": "注册资本（万元）", "type": "number", "required": True},
            {"name": "staff_count", "label": "发行人员数", "type": "number", "required": True},
        ],
        "materials": [
            ("出版物批发业务申请书", REQUIRED, "原件1份", ""),
            _BUSINESS_LICENCE, _PREMISES,
            ("法定代表人或者主要负责人身份证明", REQUIRED, "复印件1份", ""),
            ("经营场所平面图", REQUIRED, "1份", "标明营业面积"),
            ("主要负责人及发行人员的培训证明", TOLERABLE, "复印件1份", ""),
        ],
    },
    {
        "code": "SC-AGRI-01", "name": "农药经营许可", "section": "SC", "industry": "农药经营",
        "legal_basis": "《农药管理条例》（国务院令第677号）第二十四条、第二十五条；"
                       "《农药经营许可管理办法》（农业部令2017年第5号）",
        "conditions": "有具备农学、植保、农药等相关专业中专以上学历或者专业教育培训机构56学时以上学习经历的"
                      "经营人员；有与其他商品以及饮用水水源、生活区域等有效隔离的营业场所和仓储场所；"
                      "有可追溯电子信息码扫描识别设备和用于记载农药购进、储存、销售等电子台账的计算机管理系统；"
                      "有进货查验、台账记录、安全管理、安全防护、应急处置等管理制度和岗位操作规程。",
        "statutory_days": 20, "promised_days": 7, "stage_limits": _stages(2, 2, 1),
        "fee": FREE, "risk_level": "medium", "needs_inspection": True,
        "inspection_modes": ("video", "onsite", "rectification"),
        "needs_expert_review": False, "commitment_eligible": False, "single_approver": False,
        "form_schema": [
            {"name": "scope", "label": "经营范围", "type": "select", "required": True,
             "choices": ["农药（不含限制使用农药）", "农药（含限制使用农药）"]},
            {"name": "shop_area", "label": "营业场所面积（平方米）", "type": "number", "required": True},
            {"name": "store_area", "label": "仓储场所面积（平方米）", "type": "number", "required": True},
            {"name": "technician", "label": "专业技术人员", "type": "text", "required": True},
        ],
        "materials": [
            ("农药经营许可证申请表", REQUIRED, "原件1份", ""),
            ("法定代表人（负责人）身份证明", REQUIRED, "复印件1份", ""),
            ("经营人员学历或者培训证明", REQUIRED, "复印件1份", ""),
            ("营业场所和仓储场所地址、面积、平面图等说明材料及照片", REQUIRED, "1份", ""),
            ("计算机管理系统、可追溯电子信息码扫描设备、安全防护、仓储设施等清单及照片",
             TOLERABLE, "1份", ""),
            ("有关管理制度目录及文本", TOLERABLE, "1份", ""),
            ("申请人对申请材料真实性、合法性、有效性负责的声明", REQUIRED, "原件1份", ""),
            ("限制使用农药经营的，配备专业技术人员和专门柜台、专用仓储场所的说明", OPTIONAL, "1份", ""),
        ],
    },
    {
        "code": "SC-SAFE-01", "name": "危险化学品经营许可（安全生产许可类）", "section": "SC",
        "industry": "危险化学品",
        "legal_basis": "《中华人民共和国安全生产法》；《危险化学品安全管理条例》（国务院令第591号）第三十三条至第三十五条；"
                       "《危险化学品经营许可证管理办法》（国家安全生产监督管理总局令第55号）",
        "conditions": "有符合国家标准、行业标准的经营场所，储存危险化学品的还应有符合国家标准、行业标准的储存设施；"
                      "从业人员经过专业技术培训并经考核合格；有健全的安全管理规章制度；有专职安全管理人员；"
                      "有符合国家规定的危险化学品事故应急预案和必要的应急救援器材、设备。",
        "statutory_days": 30, "promised_days": 12, "stage_limits": _stages(4, 4, 2),
        "fee": FREE, "risk_level": "high", "needs_inspection": True,
        "inspection_modes": ("onsite",),
        "needs_expert_review": False, "commitment_eligible": False, "single_approver": False,
        "form_schema": [
            {"name": "mode", "label": "经营方式", "type": "select", "required": True,
             "choices": ["带有储存设施经营", "不带有储存设施经营（票据经营）"]},
            {"name": "chemicals", "label": "经营品种（按《危险化学品目录》）", "type": "textarea",
             "required": True},
            {"name": "storage_address", "label": "储存设施地址", "type": "text", "required": False},
            {"name": "storage_tons", "label": "储存容量（吨）", "type": "number", "required": False},
            {"name": "safety_officer", "label": "专职安全管理人员", "type": "text", "required": True},
        ],
        "materials": [
            ("危险化学品经营许可证申请表", REQUIRED, "原件1份", ""),
            _BUSINESS_LICENCE,
            ("经营和储存场所、设施、建筑物符合国家标准的说明及证明材料", REQUIRED, "1份", ""),
            ("主要负责人、安全生产管理人员安全合格证书", REQUIRED, "复印件1份", ""),
            ("特种作业人员操作证", TOLERABLE, "复印件1份", ""),
            ("安全生产规章制度和岗位操作规程目录", TOLERABLE, "1份", ""),
            ("生产安全事故应急救援预案", REQUIRED, "1份", "须经备案"),
            ("安全评价报告（带有储存设施的）", OPTIONAL, "1份", ""),
        ],
    },
    {
        "code": "SW-HYG-01", "name": "公共场所卫生许可", "section": "SW", "industry": "住宿与生活服务",
        "legal_basis": "《公共场所卫生管理条例》第八条；《公共场所卫生管理条例实施细则》（原卫生部令第80号）",
        "conditions": "经营场所选址、设计和装修符合卫生要求；具有相应的卫生设施设备；建立卫生管理制度、"
                      "配备卫生管理人员；从业人员取得有效健康合格证明。实行告知承诺、独任审批，当场办结。",
        "statutory_days": 20, "promised_days": 0, "stage_limits": _stages(0, 0, 0, 0, 0),
        "fee": FREE, "risk_level": "low", "needs_inspection": False, "inspection_modes": (),
        "needs_expert_review": False, "commitment_eligible": True, "single_approver": True,
        "form_schema": [
            {"name": "place_type", "label": "场所类别", "type": "select", "required": True,
             "choices": ["住宿场所（宾馆、酒店、旅店）", "沐浴场所", "美容美发场所", "游泳场所",
                         "文化娱乐场所（歌舞厅、影剧院）", "商场（超市）"]},
            {"name": "floor_area", "label": "营业面积（平方米）", "type": "number", "required": True},
            {"name": "staff_count", "label": "从业人员数", "type": "number", "required": True},
            {"name": "hygiene_manager", "label": "卫生管理人员", "type": "text", "required": True},
        ],
        "materials": [
            ("公共场所卫生许可申请表", REQUIRED, "原件1份", ""),
            _BUSINESS_LICENCE,
            ("经营场所平面图及卫生设施布局说明", REQUIRED, "1份", ""),
            ("公共场所卫生许可告知承诺书", REQUIRED, "原件1份", "申请人承诺符合卫生要求，虚假承诺承担法律责任"),
            ("卫生管理制度", TOLERABLE, "1份", ""),
            ("从业人员健康合格证明", TOLERABLE, "复印件1份", ""),
            ("公共场所卫生检测或者评价报告", OPTIONAL, "1份", "承诺制办理的，可于许可后补交"),
        ],
    },
    {
        "code": "SW-MED-02", "name": "医师执业注册（变更）", "section": "SW", "industry": "医疗卫生",
        "legal_basis": "《中华人民共和国医师法》；《医师执业注册管理办法》（国家卫生和计划生育委员会令第13号）",
        "conditions": "已取得医师资格证书和医师执业证书，拟变更执业地点、执业类别、执业范围或主要执业机构，"
                      "且无不予注册的情形。法律关系明确、事实清楚、无需现场核查，实行独任审批。",
        "statutory_days": 20, "promised_days": 0, "stage_limits": _stages(0, 0, 0, 0, 0),
        "fee": FREE, "risk_level": "low", "needs_inspection": False, "inspection_modes": (),
        "needs_expert_review": False, "commitment_eligible": False, "single_approver": True,
        "form_schema": [
            {"name": "practice_type", "label": "执业类别", "type": "select", "required": True,
             "choices": ["临床", "中医", "口腔", "公共卫生"]},
            {"name": "practice_scope", "label": "执业范围", "type": "text", "required": True},
            {"name": "change_item", "label": "变更事项", "type": "select", "required": True,
             "choices": ["主要执业机构", "执业地点", "执业类别", "执业范围"]},
            {"name": "old_institution", "label": "原执业机构", "type": "text", "required": True},
            {"name": "new_institution", "label": "拟执业机构", "type": "text", "required": True},
        ],
        "materials": [
            ("医师变更执业注册申请审核表", REQUIRED, "原件1份", ""),
            ("医师资格证书", REQUIRED, "原件核验", ""),
            ("医师执业证书", REQUIRED, "原件核验", ""),
            ("拟执业机构聘用证明", REQUIRED, "原件1份", ""),
            ("近6个月二寸免冠正面半身照片", TOLERABLE, "2张", ""),
        ],
    },
    {
        "code": "SW-MED-01", "name": "医疗机构执业许可", "section": "SW", "industry": "医疗卫生",
        "legal_basis": "《医疗机构管理条例》（国务院令第149号）第十五条至第十七条；《医疗机构管理条例实施细则》",
        "conditions": "按照设置审批或者备案要求完成建设；有适合的名称、组织机构和场所；有与其开展的业务相适应的"
                      "经费、设施、设备和专业卫生技术人员；有相应的规章制度；能够独立承担民事责任。",
        "statutory_days": 45, "promised_days": 15, "stage_limits": _stages(5, 5, 3),
        "fee": FREE, "risk_level": "high", "needs_inspection": True,
        "inspection_modes": ("onsite", "rectification"),
        "needs_expert_review": False, "commitment_eligible": False, "single_approver": False,
        "form_schema": [
            {"name": "category", "label": "医疗机构类别", "type": "select", "required": True,
             "choices": ["综合门诊部", "中医门诊部", "口腔门诊部", "医学检验实验室", "专科医院", "康复医院"]},
            {"name": "departments", "label": "诊疗科目", "type": "textarea", "required": True},
            {"name": "beds", "label": "床位数", "type": "number", "required": False},
            {"name": "dental_chairs", "label": "牙椅数", "type": "number", "required": False},
            {"name": "building_area", "label": "建筑面积（平方米）", "type": "number", "required": True},
            {"name": "principal", "label": "主要负责人", "type": "text", "required": True},
        ],
        "materials": [
            ("医疗机构执业登记申请书", REQUIRED, "原件1份", ""),
            ("设置医疗机构批准书或者备案回执", REQUIRED, "复印件1份", ""),
            ("医疗机构用房产权证明或者使用证明", REQUIRED, "复印件1份", ""),
            ("医疗机构建筑设计平面图", REQUIRED, "1份", ""),
            ("医疗机构规章制度", TOLERABLE, "1份", ""),
            ("法定代表人或者主要负责人以及各科室负责人名录和资格证书、执业证书", REQUIRED, "复印件1份", ""),
            ("医疗机构人员名册及执业资格证明", REQUIRED, "1份", ""),
            ("医疗设备清单", TOLERABLE, "1份", ""),
            ("验资证明、资产评估报告", OPTIONAL, "1份", ""),
        ],
    },
    {
        "code": "SW-RAD-01", "name": "放射诊疗许可", "section": "SW", "industry": "医疗卫生",
        "legal_basis": "《中华人民共和国职业病防治法》；《放射性同位素与射线装置安全和防护条例》（国务院令第449号）；"
                       "《放射诊疗管理规定》（原卫生部令第46号）",
        "conditions": "具有经核准登记的医学影像科诊疗科目；具有符合国家相关标准和规定的放射诊疗场所和配套设施；"
                      "具有质量控制与安全防护专（兼）职管理人员和管理制度，并配备必要的防护用品和监测仪器；"
                      "产生放射性废气、废液、固体废物的，具有确保达标排放的处理能力或者可行的处理方案；"
                      "具有放射事件应急处理预案。",
        "statutory_days": 20, "promised_days": 10, "stage_limits": _stages(3, 4, 2),
        "fee": FREE, "risk_level": "high", "needs_inspection": True,
        "inspection_modes": ("onsite",),
        "needs_expert_review": True, "commitment_eligible": False, "single_approver": False,
        "form_schema": [
            {"name": "category", "label": "放射诊疗类别", "type": "select", "required": True,
             "choices": ["X射线影像诊断", "介入放射学", "核医学", "放射治疗"]},
            {"name": "equipment", "label": "设备名称及型号", "type": "textarea", "required": True},
            {"name": "equipment_count", "label": "设备数量", "type": "number", "required": True},
            {"name": "protection_officer", "label": "放射防护负责人", "type": "text", "required": True},
        ],
        "materials": [
            ("放射诊疗许可申请表", REQUIRED, "原件1份", ""),
            ("医疗机构执业许可证或者设置医疗机构批准书", REQUIRED, "复印件1份", ""),
            ("放射诊疗专业技术人员的任职资格证书", REQUIRED, "复印件1份", ""),
            ("放射诊疗设备清单", REQUIRED, "1份", ""),
            ("放射诊疗建设项目竣工验收合格证明文件", REQUIRED, "复印件1份", ""),
            ("设备性能检测及工作场所放射防护检测报告", REQUIRED, "1份", ""),
            ("放射工作人员个人剂量监测和职业健康检查资料", TOLERABLE, "1份", ""),
            ("放射防护与质量控制管理制度及放射事件应急处理预案", TOLERABLE, "1份", ""),
        ],
    },
    {
        "code": "SW-EDU-01", "name": "民办职业培训学校设立", "section": "SW", "industry": "职业培训",
        "legal_basis": "《中华人民共和国民办教育促进法》第十二条、第十四条至第十八条；"
                       "《中华人民共和国民办教育促进法实施条例》（国务院令第741号）",
        "conditions": "举办者具备相应资格；有规范的名称、章程和决策机构；有与培训规模相适应的办学场所、"
                      "设施设备和开办资金；有具备相应资格的校长、教师和财会人员；有符合要求的培训专业（工种）"
                      "教学计划、大纲和教材。",
        # 正式设立的法定期限为三个月；“五减”后承诺20个工作日（种子材料 003）。
        "statutory_days": 60, "promised_days": 20, "stage_limits": _stages(6, 6, 4),
        "fee": FREE, "risk_level": "medium", "needs_inspection": True,
        "inspection_modes": ("onsite", "rectification"),
        "needs_expert_review": True, "commitment_eligible": False, "single_approver": False,
        "form_schema": [
            {"name": "school_name", "label": "拟设学校名称", "type": "text", "required": True},
            {"name": "level", "label": "办学层次", "type": "select", "required": True,
             "choices": ["初级", "中级", "高级"]},
            {"name": "trades", "label": "培训专业（工种）", "type": "textarea", "required": True},
            {"name": "funds", "label": "开办资金（万元）", "type": "number", "required": True},
            {"name": "building_area", "label": "校舍面积（平方米）", "type": "number", "required": True},
            {"name": "teachers", "label": "专职教师数", "type": "number", "required": True},
        ],
        "materials": [
            ("申办报告", REQUIRED, "原件1份", "含举办者、培养目标、办学规模、办学条件等"),
            ("举办者的资格证明文件", REQUIRED, "复印件1份", ""),
            ("资产来源、资金数额及有效证明文件", REQUIRED, "1份", "载明产权"),
            ("学校章程", REQUIRED, "原件1份", ""),
            ("首届决策机构组成人员名单及身份、资格证明", REQUIRED, "1份", ""),
            ("校长、教师、财会人员的资格证明文件", REQUIRED, "复印件1份", ""),
            ("办学场所使用证明及消防安全证明", REQUIRED, "复印件1份", ""),
            ("培训专业（工种）教学计划、大纲及教材目录", TOLERABLE, "1份", ""),
            ("教学设施设备清单", TOLERABLE, "1份", ""),
            ("名称预先核准材料", OPTIONAL, "1份", ""),
        ],
    },
    {
        "code": "TJ-WATER-01", "name": "城镇污水排入排水管网许可", "section": "TJ", "industry": "城市管理",
        "legal_basis": "《城镇排水与污水处理条例》（国务院令第641号）第二十一条；"
                       "《城镇污水排入排水管网许可管理办法》（住房和城乡建设部令第21号）",
        "conditions": "排放口的设置符合城镇排水与污水处理规划要求；按规定建设相应的预处理设施和水质、"
                      "水量检测设施；排放的污水符合国家或者地方规定的排放标准。餐饮、医疗、洗车等排水户适用。",
        "statutory_days": 15, "promised_days": 5, "stage_limits": _stages(1, 2, 1),
        "fee": FREE, "risk_level": "low", "needs_inspection": True,
        "inspection_modes": ("video", "onsite"),
        "needs_expert_review": False, "commitment_eligible": True, "single_approver": False,
        "form_schema": [
            {"name": "discharger_type", "label": "排水户类型", "type": "select", "required": True,
             "choices": ["餐饮", "医疗", "洗车", "宾馆", "其他"]},
            {"name": "daily_volume", "label": "日排水量（立方米）", "type": "number", "required": True},
            {"name": "pretreatment", "label": "预处理设施", "type": "select", "required": True,
             "choices": ["隔油池", "化粪池", "沉淀池", "无"]},
            {"name": "outlets", "label": "排放口数量", "type": "number", "required": True},
        ],
        "materials": [
            ("城镇污水排入排水管网许可申请表", REQUIRED, "原件1份", ""),
            _BUSINESS_LICENCE,
            ("内部排水管网、专用检测井、污水排放口位置和口径的图纸及说明", REQUIRED, "1份", ""),
            ("预处理设施（如隔油池）建设情况说明", REQUIRED, "1份", ""),
            ("排水隐蔽工程竣工报告", TOLERABLE, "1份", ""),
            ("排水水质、水量检测报告", TOLERABLE, "1份", "承诺制办理的，可于许可后补交"),
        ],
    },
    {
        "code": "TJ-SIGN-01", "name": "户外广告设施设置审批（含门头招牌）", "section": "TJ",
        "industry": "城市管理",
        "legal_basis": "《城市市容和环境卫生管理条例》第十一条；《中华人民共和国广告法》第四十一条",
        "conditions": "设置位置、规格、材质符合户外广告设施设置规划和市容标准；设施结构安全可靠；"
                      "不影响市政公用设施、交通安全和周边居民正常生活。",
        "statutory_days": 20, "promised_days": 5, "stage_limits": _stages(1, 2, 1),
        "fee": FREE, "risk_level": "low", "needs_inspection": True,
        "inspection_modes": ("video", "onsite"),
        "needs_expert_review": False, "commitment_eligible": True, "single_approver": False,
        "form_schema": [
            {"name": "sign_type", "label": "设施类型", "type": "select", "required": True,
             "choices": ["门头招牌", "墙面广告", "立柱广告", "电子显示屏"]},
            {"name": "location", "label": "设置位置", "type": "text", "required": True},
            {"name": "sign_area", "label": "面积（平方米）", "type": "number", "required": True},
            {"name": "months", "label": "设置期限（月）", "type": "number", "required": True},
            {"name": "lighting", "label": "是否亮化", "type": "select", "required": True,
             "choices": ["否", "是"]},
        ],
        "materials": [
            ("户外广告设施设置申请表", REQUIRED, "原件1份", ""),
            _BUSINESS_LICENCE,
            ("设置场地的产权证明或者使用协议", REQUIRED, "复印件1份", ""),
            ("设施设计效果图（标明尺寸、材质、色彩）", REQUIRED, "1份", ""),
            ("结构安全证明（大型设施须提交结构设计及安全检测报告）", TOLERABLE, "1份", ""),
            ("设施安全管理承诺书", REQUIRED, "原件1份", ""),
        ],
    },
]

BUNDLES: list[dict] = [
    {
        "code": "BUNDLE-RESTAURANT", "name": "我要开饭店",
        "description": "一张表单、一套材料、一窗受理、一次踏勘、集成审批、一窗出件，核发行业综合许可证。"
                       "含食品经营许可、排水许可和门头招牌设置；兼营住宿、沐浴等公共场所的同时办理公共场所卫生许可。",
        "integrated_licence": True,
        "matters": ["SC-FOOD-01", "SW-HYG-01", "TJ-WATER-01", "TJ-SIGN-01"],
    },
    {
        "code": "BUNDLE-PHARMACY", "name": "我要开药店",
        "description": "药品经营许可与食品经营许可（保健食品、特殊医学用途配方食品销售）一同踏勘、集成审批。",
        "integrated_licence": True,
        "matters": ["SC-DRUG-01", "SC-FOOD-01", "TJ-SIGN-01"],
    },
    {
        "code": "BUNDLE-HOTEL", "name": "我要开宾馆",
        "description": "公共场所卫生许可（即办）与餐饮、排水、招牌一链办理。",
        "integrated_licence": True,
        "matters": ["SW-HYG-01", "SC-FOOD-01", "TJ-WATER-01", "TJ-SIGN-01"],
    },
]
