"""The tokens common enough that a phrase made only of them needs the pairs index
(storage.pairs): 1,068 tokens of bot.fulltext (FTS5's own: folded, porter stems),
each in at least 2% of the titles and abstracts of the 108,854 real arXiv papers of
../shared/corpus/arxiv-metadata (listed 1989-2026, most since 2025).

FTS5 checks a phrase by reading the positions of every paper holding all its words, so
the check costs in step with the rarest of them: a phrase with one word under 2% of the
papers reads at most 20,000 papers' positions at 1M papers, a few milliseconds. A phrase
of words above it reads hundreds of thousands ("data model": 444,000 papers at 1M).

The list is fixed: the pairs index holds exactly the adjacent pairs of these tokens, so
changing it needs a migration that rebuilds that index (a contentless FTS5 index forgets
an entry only when told the tokens it was given).
"""

COMMON = frozenset("""
0 000 1 10 100 11 12 13 14 15 16 2 20 2d 3 30 3d 4 5 50 6 7 8 9 a abil ablat about acceler
access account accur accuraci achiev across act action activ ad adapt addit addition address
adjust adopt advanc advantag adversari affect after against agent aggreg agreement ai aim
algorithm align all allow alon along also altern although ambigu among an analys analysi
analyt analyz and ani annot answer appear appli applic approach approxim ar architectur area
argu aris around art artifact artifici as aspect assess assign assist associ assum assumpt
at attent attribut augment autom automat autonom avail averag avoid awar b backbon
background balanc band base baselin be becaus becom been befor behavior benchmark benefit
best better between beyond bia bias binari black block bodi both bottleneck bound boundari
box branch bridg broad build built but by c calcul calibr call camera can candid cannot
capabl capac captur case categori caus causal center central centric certain chain challeng
chang channel character characterist choic class classic classif classifi clear clinic clip
close cloud cluster co coars code cognit coher collabor collaps collect com combin common
commun compact compar comparison competit complementari complet complex compon composit
comprehens compress compris comput concept concern condit conduct confid configur confirm
connect consequ consid consist constant constrain constraint construct contain content
context contextu continu contrast contribut control convent converg convers convolut coordin
core correct correl correspond cosmic cosmolog cost could coupl cover coverag creat critic
cross crucial cue curat current d dark data dataset decis decod decompos decoupl deep defin
degrad degre deliv demand demonstr dens densiti depend deploi deploy depth deriv describ
descript design despit detail detect detector determin develop diagnost differ differenti
difficult difficulti diffus digit dimens dimension direct directli discoveri discret
discrimin discuss distanc distil distinct distinguish distribut divers do document doe
domain domin downstream drive driven dual due dure dynam e each earli edg edit effect effici
effort either electron element elimin embed emerg emiss empir emploi enabl encod end energi
enforc engin english enhanc ensur entir entropi environ equat error especi essenti establish
estim evalu even event everi evid evolut evolv examin exampl excel execut exhibit exist
expand expect experi experiment expert explain explicit explicitli exploit explor express
extend extens extern extract extrem f1 face facilit factor fail failur famili fast featur
feedback few fidel field filter final find fine finit first fit five fix flexibl flow focu
focus follow for form formal format formul forward found foundat four fraction frame
framework free frequenc frequent from full fulli function fundament further furthermor fuse
fusion futur g ga gain galact galaxi gap gaussian gener generaliz geometr geometri github
give given global goal gpt gradient grain graph gravit ground group grow guid guidanc h ha
hallucin handl hard have head help here heterogen hierarch high higher highli highlight
hinder histori hole how howev http human hybrid i ident identif identifi if ii imag impact
implement implicit import improv in includ inconsist incorpor increas increasingli independ
indic individu induc infer influenc inform inher initi inject innov input insight inspir
instanc instead instruct integr intellig intens inter interact interest intermedi intern
interpret into intrins introduc invari investig involv io is isol issu it iter joint jointli
k kei knowledg known l label lack languag larg larger latenc latent law layer lead learn
length less level leverag light lightweight like limit line linear linguist link literatur
llm local locat logic long loop loss low lower m machin made magnet magnitud mai main
maintain major make manag mani manipul manual map mask mass massiv match materi mathemat
matter maxim mean measur mechan medic medium memori method methodolog metric minim miss
mitig mix mllm modal mode model modern modifi modul monitor more moreov most motion motiv
much multi multimod multipl must n name natur near need neg network neural new next no nois
non normal not notabl novel number numer o object observ obtain occur of off offer often on
onli onlin open oper optic optim or order organ orient origin other our out outcom
outperform output over overal overcom overhead overlook p pair paper paradigm parallel
paramet part partial particl particular particularli pass path pattern per percept perform
persist person perspect perturb phase physic pipelin pixel plai plan platform point polici
popul pose posit possibl post potenti power practic pre precis predict prefer presenc
present preserv pretrain prevent previou previous primari primarili principl prior probabl
probe problem procedur process produc product profil program progress project promis prompt
propag properti propos protocol prove provid public publicli purpos qualit qualiti quantifi
quantit quantum queri question r rai random rang rank rapid rate rather ratio re reach real
realist reason recent recognit reconstruct recov redshift reduc reduct redund refer refin
reflect regim region regular reinforc rel relat relationship releas relev reli reliabl
remain remark remov render replac report repres represent reproduc requir research residu
resolut resolv resourc respect respons restrict result retain retriev reveal review reward
rich rigor risk rl rm robot robust role rotat rule run s safeti same sampl scalabl scale
scenario scene scheme scienc scientif score search second segment select self semant sens
sensit separ sequenc seri serv set sever shape share shift short shot should show shown
signal signific significantli sim similar simpl simul simultan sinc singl six size small
smaller so social solut solv some sourc space span spars spatial special specif spectra
spectral spectrum speed stabil stabl stage standard star state static statist stellar step
still strategi stream strength strong strongli structur struggl studi style sub subject
subsequ subset substanti success such suffer suffici suggest suit suitabl superior supervis
support suppress surfac surpass survei synthes synthesi synthet system systemat t tailor
take target task techniqu technolog telescop temperatur tempor term test text textual than
that the thei their them then theoret theori there therebi therefor these thi those thought
three through thu time to togeth token tool top topolog total toward trace track trade
tradit train trajectori transfer transform transit translat treat truth tune turn two type
typic uncertainti under underli understand unifi uniqu univers unlik unseen up updat upon us
user util valid valu vari variabl variant variat variou vector veloc veri verif verifi via
video view vision visual vlm volum wa wai wave we weak weight well were what when where
wherea whether which while whose wide will wise with within without work workflow world x
year yet yield z zero
""".split())
