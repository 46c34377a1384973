/**
 * The hand-written catalog of the demo graph: twelve sectors the product's users work in, each
 * with an interest tree and 25 products (Chinese names, English in `name_en`). Inside a sector
 * interests and products are listed most popular first. Lines are `slug|中文|English|parent`
 * (parent defaults to the sector root) and `中文|English|interest slugs`.
 */
export interface DemoSector {
  id: string;
  name: string;
  nameEn: string;
  interests: string;
  products: string;
}

export const demoSectors: DemoSector[] = [
  {
    id: 'auto',
    name: '汽车',
    nameEn: 'Cars',
    interests: `
suv|SUV|SUVs
ev|新能源车|Electric vehicles
new-car-launch|新车发布|New car launches
family-car|家用车|Family cars
hybrid|插电混动|Plug-in hybrids|ev
smart-cockpit|智能座舱|Smart cockpits
driver-assist|智能驾驶|Driver assistance|smart-cockpit
ev-charging|充电桩|EV charging|ev
car-modding|汽车改装|Car modding
road-trip-car|自驾出行|Self-drive trips
offroad|越野|Off-road|suv
car-care|汽车养护|Car care`,
    products: `
紧凑型SUV 山岚 X3|Compact SUV Shanlan X3|suv family-car
7座混动SUV 远岳 L7|7-seat hybrid SUV Yuanyue L7|suv hybrid family-car
纯电轿车 星驰 E5|Electric sedan Xingchi E5|ev smart-cockpit
纯电SUV 极光 E7|Electric SUV Jiguang E7|ev suv driver-assist
增程式SUV 驰原 R6|Range-extender SUV Chiyuan R6|hybrid suv
硬派越野车 峰野 T8|Rugged off-roader Fengye T8|offroad suv
城市小车 米粒 Mini|City car Mili Mini|ev family-car
家用MPV 和悦 M8|Family MPV Heyue M8|family-car
家用充电桩 7kW|Home wall charger 7 kW|ev-charging ev
便携充电枪|Portable EV charging cable|ev-charging
车载冰箱|In-car fridge|road-trip-car
车顶行李架|Roof rack|road-trip-car suv
智能行车记录仪|Smart dash cam|driver-assist
车载香氛|Car air freshener|car-care
全车镀晶套餐|Ceramic coating package|car-care car-modding
运动轮毂套装|Sport alloy wheel set|car-modding
越野轮胎 AT|All-terrain tyres|offroad car-modding
儿童安全座椅|Child car seat|family-car
新车试驾礼包|New car test-drive pack|new-car-launch
新车发布会门票|Car launch event ticket|new-car-launch
车载HUD抬头显示|Head-up display|smart-cockpit
车载无线充电板|In-car wireless charger|smart-cockpit
汽车保养套餐|Car service package|car-care
拖车钩套件|Tow hitch kit|offroad road-trip-car
车窗遮阳帘|Car window sunshades|road-trip-car`,
  },
  {
    id: 'beauty',
    name: '美妆护肤',
    nameEn: 'Beauty and skincare',
    interests: `
skincare|护肤|Skincare
makeup|彩妆|Makeup
sunscreen|防晒|Sun protection|skincare
anti-aging|抗老|Anti-ageing|skincare
sensitive-skin|敏感肌|Sensitive skin|skincare
whitening|美白|Brightening|skincare
lipstick|口红|Lipstick|makeup
fragrance|香水|Fragrance
mens-grooming|男士理容|Men's grooming
clean-beauty|纯净美妆|Clean beauty
skincare-devices|美容仪|Beauty devices|anti-aging
hair-care|护发|Hair care`,
    products: `
防晒霜 SPF50+|Sunscreen SPF50+|sunscreen
玻尿酸精华|Hyaluronic acid serum|skincare
视黄醇抗老面霜|Retinol anti-ageing cream|anti-aging
经典正红口红|Classic red lipstick|lipstick makeup
烟酰胺美白精华|Niacinamide brightening serum|whitening
修护舒缓面霜|Barrier repair cream|sensitive-skin skincare
气垫粉底|Cushion foundation|makeup
木质调香水|Woody eau de parfum|fragrance
射频美容仪|RF beauty device|skincare-devices anti-aging
男士控油洁面|Men's oil-control cleanser|mens-grooming
眼影盘 十二色|12-shade eyeshadow palette|makeup
无硅油洗发水|Silicone-free shampoo|hair-care clean-beauty
植物精油护发素|Botanical hair conditioner|hair-care
防晒喷雾|Sunscreen spray|sunscreen
纯净配方卸妆油|Clean cleansing oil|clean-beauty skincare
男士剃须套装|Men's shaving kit|mens-grooming
唇釉 雾面|Matte lip glaze|lipstick
胶原蛋白面膜|Collagen sheet masks|anti-aging skincare
美甲贴片|Press-on nails|makeup
花香淡香水|Floral eau de toilette|fragrance
美白防晒隔离|Brightening sun primer|whitening sunscreen
眼霜 淡纹|Line-smoothing eye cream|anti-aging
LED 光疗面罩|LED light therapy mask|skincare-devices
身体乳 香氛|Scented body lotion|fragrance skincare
温和氨基酸洁面|Gentle amino-acid cleanser|sensitive-skin`,
  },
  {
    id: 'baby',
    name: '母婴',
    nameEn: 'Mother and baby',
    interests: `
pregnancy|孕期|Pregnancy
newborn|新生儿|Newborns
infant-formula|婴儿奶粉|Infant formula|newborn
diapers|纸尿裤|Diapers|newborn
baby-food|辅食|Baby food
stroller|婴儿推车|Strollers
early-education|早教|Early education
toddler|幼儿|Toddlers
postpartum|产后恢复|Postpartum recovery|pregnancy
organic-baby|有机母婴|Organic baby products|baby-food
kids-clothing|童装|Kids' clothing|toddler
parenting|育儿知识|Parenting`,
    products: `
婴儿纸尿裤 NB码|Newborn diapers|diapers newborn
一段婴儿配方奶粉|Stage 1 infant formula|infant-formula
有机米粉|Organic rice cereal|baby-food organic-baby
轻便婴儿推车|Lightweight stroller|stroller
高景观婴儿推车|High-view premium stroller|stroller
孕妇营养素|Prenatal vitamins|pregnancy
防胀气奶瓶|Anti-colic baby bottle|newborn infant-formula
婴儿湿巾|Baby wipes|diapers
早教绘本套装|Early-learning picture books|early-education
积木玩具 大颗粒|Big building blocks|toddler early-education
产后收腹带|Postpartum belly band|postpartum
妊娠纹护理霜|Stretch-mark cream|pregnancy
有机果泥|Organic fruit puree|baby-food organic-baby
儿童牙刷|Kids' toothbrush|toddler
婴儿背带|Baby carrier|newborn
童装 纯棉套装|Cotton kids' outfit|kids-clothing
儿童雨靴|Kids' rain boots|kids-clothing toddler
恒温调奶器|Formula kettle|infant-formula
育儿百科全书|Parenting encyclopaedia|parenting
婴儿监护器|Baby monitor|newborn parenting
吸奶器|Breast pump|postpartum newborn
孕妇枕|Pregnancy pillow|pregnancy
有机婴儿洗护套装|Organic baby bath set|organic-baby newborn
早教点读笔|Talking pen for early learning|early-education
学步鞋|First walking shoes|toddler kids-clothing`,
  },
  {
    id: 'snacks',
    name: '零食饮料',
    nameEn: 'Snacks and beverages',
    interests: `
snacks|休闲零食|Snacks
beverages|饮料|Beverages
healthy-snacks|健康零食|Healthy snacks|snacks
low-sugar|低糖|Low sugar|healthy-snacks
nuts|坚果|Nuts|snacks
tea-drinks|茶饮|Tea drinks|beverages
sparkling-water|气泡水|Sparkling water|beverages
electrolyte-drinks|电解质水|Electrolyte drinks|beverages
instant-noodles|方便速食|Instant meals
spicy-snacks|辣味零食|Spicy snacks|snacks
craft-beer|精酿啤酒|Craft beer|beverages
desserts|甜品|Desserts`,
    products: `
每日坚果|Daily mixed nuts|nuts healthy-snacks
零糖气泡水|Zero-sugar sparkling water|sparkling-water low-sugar
无糖乌龙茶|Unsweetened oolong tea|tea-drinks low-sugar
辣条|Spicy gluten strips|spicy-snacks
薯片 原味|Classic potato crisps|snacks
电解质水 柠檬味|Lemon electrolyte drink|electrolyte-drinks
自热火锅|Self-heating hotpot|instant-noodles spicy-snacks
方便面 红烧牛肉|Braised beef instant noodles|instant-noodles
精酿IPA|Craft IPA|craft-beer
冻干水果|Freeze-dried fruit|healthy-snacks
低糖酸奶|Low-sugar yoghurt|low-sugar desserts
芝士蛋糕|Cheesecake|desserts
鸭脖 麻辣|Spicy duck necks|spicy-snacks
燕麦能量棒|Oat energy bar|healthy-snacks
冷泡茶包|Cold-brew tea bags|tea-drinks
夏威夷果|Macadamia nuts|nuts
螺蛳粉|Luosifen rice noodles|instant-noodles spicy-snacks
精酿小麦啤酒|Craft wheat beer|craft-beer
果味气泡水 桃子|Peach sparkling water|sparkling-water
海苔脆片|Seaweed crisps|snacks healthy-snacks
抹茶冰淇淋|Matcha ice cream|desserts
速溶电解质粉|Electrolyte powder sachets|electrolyte-drinks
牛肉干|Beef jerky|snacks
柠檬茶|Lemon tea|tea-drinks
低糖饼干|Low-sugar biscuits|low-sugar snacks`,
  },
  {
    id: 'home',
    name: '家用电器',
    nameEn: 'Home appliances',
    interests: `
smart-home|智能家居|Smart home
kitchen-appliances|厨房电器|Kitchen appliances
robot-vacuum|扫地机器人|Robot vacuums|smart-home
air-purifier|空气净化器|Air purifiers
air-fryer|空气炸锅|Air fryers|kitchen-appliances
coffee-machine|咖啡机|Coffee machines|kitchen-appliances
washing-machine|洗衣机|Washing machines
air-conditioner|空调|Air conditioners
smart-speaker|智能音箱|Smart speakers|smart-home
dishwasher|洗碗机|Dishwashers|kitchen-appliances
personal-care-appliances|个护电器|Personal care appliances
home-decor|家居装饰|Home decor`,
    products: `
扫拖一体机器人|Robot vacuum and mop|robot-vacuum smart-home
空气炸锅 5L|5-litre air fryer|air-fryer
滚筒洗烘一体机|Washer-dryer|washing-machine
变频空调 1.5匹|Inverter air conditioner|air-conditioner
除甲醛空气净化器|Formaldehyde air purifier|air-purifier
智能音箱 Pro|Smart speaker Pro|smart-speaker smart-home
嵌入式洗碗机|Built-in dishwasher|dishwasher
高速吹风机|High-speed hair dryer|personal-care-appliances
破壁料理机|High-speed blender|kitchen-appliances
智能门锁|Smart door lock|smart-home
电动牙刷|Electric toothbrush|personal-care-appliances
全自动意式咖啡机|Automatic espresso machine|coffee-machine
胶囊咖啡机|Capsule coffee machine|coffee-machine
智能窗帘电机|Smart curtain motor|smart-home
新风空调|Fresh-air air conditioner|air-conditioner air-purifier
电饭煲 IH|IH rice cooker|kitchen-appliances
宠物毛发专用吸尘器|Pet-hair vacuum cleaner|robot-vacuum
挂烫机|Garment steamer|personal-care-appliances
香薰机|Aroma diffuser|home-decor
北欧落地灯|Nordic floor lamp|home-decor
除湿机|Dehumidifier|air-purifier
蒸烤一体机|Steam oven|kitchen-appliances
智能晾衣架|Smart drying rack|smart-home washing-machine
装饰挂画|Wall art prints|home-decor
迷你洗衣机|Mini washing machine|washing-machine`,
  },
  {
    id: 'books',
    name: '图书教育',
    nameEn: 'Books and education',
    interests: `
reading|阅读|Reading
online-courses|在线课程|Online courses
fiction|小说|Fiction|reading
business-books|商业管理|Business books|reading
language-learning|语言学习|Language learning|online-courses
exam-prep|考试备考|Exam preparation|online-courses
kids-books|童书|Children's books|reading
history|历史|History|reading
psychology|心理学|Psychology|reading
programming|编程|Programming|online-courses
e-readers|电子书阅读器|E-readers
audiobooks|有声书|Audiobooks|reading`,
    products: `
电子书阅读器 墨水屏|E-ink e-reader|e-readers reading
年度畅销小说|Bestselling novel of the year|fiction
考研英语词汇|Postgraduate English vocabulary|exam-prep language-learning
Python 编程入门课|Python for beginners course|programming
商业模式新论|New business models|business-books
中国通史|General history of China|history
儿童科普百科|Children's science encyclopaedia|kids-books
心理学与生活|Psychology and life|psychology
雅思备考课程|IELTS prep course|language-learning exam-prep
有声书会员 年卡|Audiobook membership, one year|audiobooks
悬疑小说合集|Mystery novel collection|fiction
日语入门课|Japanese for beginners|language-learning
管理学经典|Management classics|business-books
数据分析实战课|Hands-on data analysis course|programming online-courses
宋朝那些事|Stories of the Song dynasty|history
绘本 晚安月亮|Picture book: goodnight moon|kids-books
公务员考试题库|Civil service exam question bank|exam-prep
正念冥想指南|Mindfulness meditation guide|psychology
科幻三部曲|Science-fiction trilogy|fiction
阅读灯 夹式|Clip-on reading light|reading e-readers
英语口语陪练|English speaking practice|language-learning
产品经理手册|Product manager handbook|business-books
少儿编程课|Coding for kids|programming kids-books
博物馆日历|Museum calendar|history
读书会年卡|Book club annual pass|reading`,
  },
  {
    id: 'outdoor',
    name: '户外露营',
    nameEn: 'Outdoor and camping',
    interests: `
camping|露营|Camping
hiking|徒步|Hiking
glamping|精致露营|Glamping|camping
camping-gear|露营装备|Camping gear|camping
fishing|钓鱼|Fishing
cycling|骑行|Cycling
climbing|攀岩|Climbing
trail-running|越野跑|Trail running|hiking
outdoor-cooking|户外烹饪|Outdoor cooking|camping
skiing|滑雪|Skiing
outdoor-apparel|户外服饰|Outdoor apparel
water-sports|水上运动|Water sports`,
    products: `
自动帐篷 四人|Four-person instant tent|camping camping-gear
蛋卷桌|Roll-up camping table|camping-gear
户外折叠椅|Folding camp chair|camping-gear
冲锋衣|Waterproof shell jacket|outdoor-apparel hiking
登山鞋|Hiking boots|hiking
天幕|Camping tarp|camping-gear glamping
卡式炉|Portable gas stove|outdoor-cooking
营地灯|Camping lantern|camping-gear
睡袋 零度|Zero-degree sleeping bag|camping
公路自行车|Road bike|cycling
路亚鱼竿|Lure fishing rod|fishing
越野跑鞋|Trail running shoes|trail-running
攀岩鞋|Climbing shoes|climbing
滑雪板 全能|All-mountain snowboard|skiing
露营推车|Camping wagon|camping-gear
充气皮划艇|Inflatable kayak|water-sports
户外电源 1000W|1000 W portable power station|camping-gear glamping
铸铁烤盘|Cast-iron grill pan|outdoor-cooking
天文望远镜|Astronomy telescope|camping glamping
速干T恤|Quick-dry T-shirt|outdoor-apparel
越野跑背包|Trail running vest|trail-running
充气床垫|Inflatable mattress|camping glamping
溯溪鞋|Water shoes|water-sports hiking
骑行头盔|Cycling helmet|cycling
精致露营套餐|Glamping weekend package|glamping`,
  },
  {
    id: 'fitness',
    name: '运动健身',
    nameEn: 'Fitness',
    interests: `
fitness|健身|Fitness
running|跑步|Running
yoga|瑜伽|Yoga
home-workout|居家健身|Home workouts
weight-loss|减脂|Weight loss
strength-training|力量训练|Strength training
marathon|马拉松|Marathons|running
sports-nutrition|运动营养|Sports nutrition
smartwatch|智能手表|Smartwatches
pilates|普拉提|Pilates|yoga
swimming|游泳|Swimming
gym-membership|健身房会员|Gym memberships`,
    products: `
瑜伽垫 加厚|Thick yoga mat|yoga home-workout
乳清蛋白粉|Whey protein|sports-nutrition strength-training
运动手环|Fitness band|smartwatch
GPS运动手表|GPS sports watch|smartwatch running
跑鞋 缓震|Cushioned running shoes|running
可调节哑铃|Adjustable dumbbells|strength-training home-workout
健身房年卡|Gym annual membership|gym-membership
筋膜枪|Massage gun|fitness
跳绳 计数|Counting jump rope|home-workout weight-loss
代餐奶昔|Meal-replacement shake|weight-loss sports-nutrition
瑜伽服套装|Yoga outfit|yoga
能量胶|Energy gels|marathon sports-nutrition
马拉松报名礼包|Marathon entry pack|marathon
泳镜|Swimming goggles|swimming
羽毛球拍|Badminton racket|fitness
普拉提核心床课程|Reformer pilates classes|pilates
体脂秤|Body-fat scale|weight-loss
动感单车|Indoor spin bike|home-workout
压缩运动裤|Compression tights|running
弹力带套装|Resistance band set|home-workout strength-training
运动水壶|Sports water bottle|fitness
心率带|Heart-rate strap|running smartwatch
肌酸|Creatine|sports-nutrition strength-training
泳衣|Swimsuit|swimming
私教课 十节|Ten personal training sessions|gym-membership fitness`,
  },
  {
    id: 'travel',
    name: '旅行',
    nameEn: 'Travel',
    interests: `
travel|旅行|Travel
self-drive-travel|自驾游|Self-drive travel|travel
family-trip|亲子游|Family trips|travel
outbound-travel|出境游|Outbound travel|travel
hotels|酒店|Hotels
homestays|民宿|Homestays|hotels
city-walk|城市漫步|City walks|travel
island-holiday|海岛度假|Island holidays|outbound-travel
ski-resort|滑雪度假|Ski resorts|travel
travel-gear|旅行装备|Travel gear
theme-parks|主题乐园|Theme parks|family-trip
cruises|邮轮|Cruises|outbound-travel`,
    products: `
20寸登机箱|20-inch carry-on suitcase|travel-gear
海岛度假套餐|Island holiday package|island-holiday
精品民宿两晚|Two nights in a boutique homestay|homestays
主题乐园门票|Theme park tickets|theme-parks family-trip
自驾游路线包|Self-drive route pack|self-drive-travel
五星酒店套餐|Five-star hotel package|hotels
出境WiFi|Travel Wi-Fi hotspot|outbound-travel travel-gear
城市漫步导览|Guided city walk|city-walk
邮轮航线 日韩|Japan and Korea cruise|cruises
滑雪度假套票|Ski resort package|ski-resort
旅行收纳包|Packing cubes|travel-gear
亲子酒店套餐|Family hotel package|family-trip hotels
颈枕|Travel neck pillow|travel-gear
签证服务|Visa service|outbound-travel
租车 七天|Seven-day car rental|self-drive-travel
旅拍套餐|Travel photo shoot|travel
古镇民宿|Ancient-town homestay|homestays city-walk
滑雪教练课|Ski lessons|ski-resort
旅行保险|Travel insurance|travel outbound-travel
房车营地预订|RV campsite booking|self-drive-travel
海岛潜水体验|Island diving experience|island-holiday
城市博物馆通票|City museum pass|city-walk
环球影城快速通道|Theme park express pass|theme-parks
温泉酒店|Hot-spring hotel|hotels
邮轮阳台房升级|Cruise balcony upgrade|cruises`,
  },
  {
    id: 'pets',
    name: '宠物',
    nameEn: 'Pets',
    interests: `
pets|宠物|Pets
cat|猫|Cats|pets
dog|狗|Dogs|pets
pet-food|宠物食品|Pet food
pet-health|宠物健康|Pet health
cat-litter|猫砂|Cat litter|cat
pet-toys|宠物玩具|Pet toys
smart-pet-devices|智能宠物用品|Smart pet devices
dog-training|狗狗训练|Dog training|dog
pet-grooming|宠物美容|Pet grooming
aquarium|水族|Aquariums|pets
pet-insurance|宠物保险|Pet insurance|pet-health`,
    products: `
全价猫粮|Complete cat food|cat pet-food
全价犬粮|Complete dog food|dog pet-food
豆腐猫砂|Tofu cat litter|cat-litter
猫抓板|Cat scratcher|cat pet-toys
冻干猫零食|Freeze-dried cat treats|cat pet-food
狗狗牵引绳|Dog leash|dog
智能喂食器|Smart pet feeder|smart-pet-devices
自动猫砂盆|Self-cleaning litter box|smart-pet-devices cat-litter
宠物驱虫药|Pet deworming tablets|pet-health
狗狗磨牙棒|Dog chew sticks|dog pet-toys
猫爬架|Cat tree|cat pet-toys
宠物饮水机|Pet water fountain|smart-pet-devices
狗狗训练课|Dog training course|dog-training
宠物洗护套装|Pet grooming kit|pet-grooming
宠物医疗险|Pet health insurance|pet-insurance
逗猫棒|Cat teaser wand|pet-toys cat
犬用营养膏|Dog nutrition paste|pet-health dog
鱼缸套装|Aquarium starter kit|aquarium
宠物摄像头|Pet camera|smart-pet-devices
猫咪罐头|Wet cat food cans|cat pet-food
狗狗雨衣|Dog raincoat|dog
宠物美容到店服务|In-store pet grooming|pet-grooming
宠物航空箱|Pet travel crate|pets
宠物疫苗套餐|Pet vaccination package|pet-health
热带鱼饲料|Tropical fish food|aquarium`,
  },
  {
    id: 'coffee',
    name: '咖啡',
    nameEn: 'Coffee',
    interests: `
coffee|咖啡|Coffee
pour-over|手冲咖啡|Pour-over coffee|coffee
specialty-coffee|精品咖啡|Specialty coffee|coffee
instant-coffee|速溶咖啡|Instant coffee|coffee
cafe-hopping|咖啡探店|Café hopping|coffee
cold-brew|冷萃|Cold brew|coffee
coffee-beans|咖啡豆|Coffee beans|coffee
latte-art|拉花|Latte art|specialty-coffee
coffee-gear|咖啡器具|Coffee gear|coffee
tea-latte|茶拿铁|Tea lattes
coffee-subscription|咖啡订阅|Coffee subscriptions|coffee-beans
bakery|烘焙|Bakery`,
    products: `
冻干速溶咖啡|Freeze-dried instant coffee|instant-coffee
埃塞俄比亚耶加雪菲咖啡豆|Ethiopia Yirgacheffe beans|coffee-beans specialty-coffee
冷萃咖啡液|Cold-brew concentrate|cold-brew
挂耳咖啡 30包|Drip-bag coffee, 30 bags|pour-over instant-coffee
手冲壶 细口|Gooseneck pour-over kettle|pour-over coffee-gear
磨豆机 手摇|Hand coffee grinder|coffee-gear coffee-beans
咖啡馆储值卡|Café gift card|cafe-hopping
拉花缸|Milk pitcher for latte art|latte-art coffee-gear
燕麦拿铁|Oat latte|specialty-coffee
抹茶拿铁粉|Matcha latte powder|tea-latte
低因咖啡豆|Decaf coffee beans|coffee-beans
咖啡豆月度订阅|Monthly coffee bean subscription|coffee-subscription
可颂面包|Croissants|bakery
滤杯 V60|V60 dripper|pour-over coffee-gear
便携手冲咖啡套装|Portable pour-over coffee kit|coffee-gear pour-over
意式浓缩咖啡豆|Espresso blend beans|coffee-beans
咖啡探店地图|Café hopping map|cafe-hopping
冷萃杯|Cold-brew bottle|cold-brew coffee-gear
奶泡机|Milk frother|latte-art
黑糖珍珠奶茶拿铁|Brown-sugar boba latte|tea-latte
云南小粒咖啡豆|Yunnan arabica beans|coffee-beans
咖啡杯 陶瓷|Ceramic coffee cup|coffee-gear
咖啡冲煮课程|Coffee brewing class|specialty-coffee pour-over
贝果|Bagels|bakery
速溶低因咖啡|Instant decaf|instant-coffee`,
  },
  {
    id: 'games',
    name: '游戏',
    nameEn: 'Games',
    interests: `
games|游戏|Games
mobile-games|手游|Mobile games|games
console-games|主机游戏|Console games|games
pc-games|PC游戏|PC games|games
esports|电竞|Esports|games
board-games|桌游|Board games
gaming-gear|游戏外设|Gaming gear
rpg|角色扮演|RPGs|games
casual-games|休闲游戏|Casual games|mobile-games
game-streaming|游戏直播|Game streaming|esports
anime|动漫|Anime
indie-games|独立游戏|Indie games|games`,
    products: `
游戏主机 标准版|Game console, standard edition|console-games
手游月卡|Mobile game monthly pass|mobile-games
机械键盘|Mechanical keyboard|gaming-gear pc-games
电竞鼠标|Gaming mouse|gaming-gear esports
开放世界RPG 大作|Open-world RPG blockbuster|rpg console-games
电竞耳机|Gaming headset|gaming-gear esports
游戏手柄|Game controller|console-games gaming-gear
狼人杀桌游|Werewolf party game|board-games
VR一体机|Standalone VR headset|gaming-gear games
电竞显示器 165Hz|165 Hz gaming monitor|gaming-gear pc-games
消除类手游礼包|Puzzle game bundle|casual-games
动漫手办|Anime figure|anime
电竞椅|Gaming chair|gaming-gear
策略桌游 大盒|Strategy board game|board-games
独立游戏合集|Indie game bundle|indie-games pc-games
直播声卡|Streaming sound card|game-streaming
赛事门票 电竞|Esports final tickets|esports
动漫周边 盲盒|Anime blind boxes|anime
掌机|Handheld console|console-games
游戏会员 年费|Game subscription, one year|console-games pc-games
剧本杀体验券|Murder-mystery game voucher|board-games
VR健身游戏|VR fitness game|console-games
游戏点卡|Game top-up card|mobile-games
直播摄像头|Streaming webcam|game-streaming
像素风独立游戏|Pixel-art indie game|indie-games`,
  },
];

/**
 * Consumer segments of the demo: [segment id, 中文, English, relative size, [sector id, share]...].
 * They give the graph its community structure.
 */
export const demoSegments: Array<[string, string, string, number, Array<[string, number]>]> = [
  ['car-owners', '有车一族', 'Car owners', 1.0, [['auto', 0.6], ['travel', 0.25], ['home', 0.15]]],
  ['outdoor-fans', '户外玩家', 'Outdoor fans', 0.8, [['outdoor', 0.6], ['travel', 0.25], ['fitness', 0.15]]],
  ['urban-professionals', '精致白领', 'Urban professionals', 1.0, [['beauty', 0.45], ['coffee', 0.35], ['travel', 0.2]]],
  ['new-parents', '新手爸妈', 'New parents', 0.9, [['baby', 0.6], ['home', 0.25], ['books', 0.15]]],
  ['fitness-buffs', '健身达人', 'Fitness buffs', 0.7, [['fitness', 0.6], ['snacks', 0.3], ['outdoor', 0.1]]],
  ['foodies', '吃货', 'Foodies', 0.9, [['snacks', 0.65], ['coffee', 0.2], ['games', 0.15]]],
  ['pet-families', '宠物家庭', 'Pet families', 0.7, [['pets', 0.6], ['home', 0.3], ['snacks', 0.1]]],
  ['students', '学生党', 'Students', 0.8, [['books', 0.45], ['games', 0.35], ['snacks', 0.2]]],
  ['gamers', '游戏玩家', 'Gamers', 0.7, [['games', 0.65], ['snacks', 0.25], ['books', 0.1]]],
  ['coffee-lovers', '咖啡爱好者', 'Coffee lovers', 0.6, [['coffee', 0.6], ['books', 0.25], ['beauty', 0.15]]],
  ['travellers', '旅行家', 'Travellers', 0.6, [['travel', 0.6], ['beauty', 0.2], ['books', 0.2]]],
  ['home-makers', '家居生活家', 'Home makers', 0.6, [['home', 0.6], ['baby', 0.2], ['pets', 0.2]]],
];
