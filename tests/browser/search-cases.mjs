// The Korean search test set: [query, intended first result (or acceptable ones), other results
// that must be found], over the fixture site tests/fixtures/search-site. Used by the search
// test and by benches/search-compare.mjs, which runs the same set against Pagefind.
const P = '/pycon-korea-2023/';
const R = '/rust-meetup/';
const D = '/devfest/';
const S = '/2021-seminar/';
const voice = `${P}파이썬으로-만드는-음성인식-서비스/`;
const orm = `${P}django-쿼리셋-최적화/`;
const types = `${P}점진적-타입검사-도입기/`;
const neuro = `${P}신경세포를-닮은-컴퓨터/`;
const learned = `${P}#배운-점`;
const own = `${R}소유권과-빌림-규칙/`;
const async = `${R}비동기-러스트와-tokio/`;
const wasm = `${R}webassembly로-브라우저에서-러스트-실행하기/`;
const k8s = `${D}쿠버네티스-운영-이야기/`;
const compose = `${D}안드로이드-jetpack-compose-도입/`;
const ml = `${D}머신러닝-모델-서빙/`;
const xss = `${D}img-src-x-onerror-alert-1-제목의-보안-이야기/`;
const js = `${S}자바스크립트-비동기-패턴/`;
const db = `${S}데이터베이스-인덱스-설계/`;
const review = `${S}코드-리뷰-문화-만들기/`;
const admin = `${S}장고-어드민-꾸미기/`;
const hearing = `${P}청각-장애인의-발음-교정-어플리케이션을-위한-음성인식-모델-개발기/`;

// [query, intended first result (or list of acceptable ones), other results that must be found]
export const CASES = [
  ['파이썬', voice], ['파이썬으로', voice], ['쿼리셋', orm], ['쿼리셋은', orm], ['쿼리', orm],
  ['검사', types], ['타입검사', types], ['mypy', types], ['인식', voice], ['음성인식', voice],
  ['세포', neuro], ['신경세포', neuro], ['뉴로모픽', neuro], ['변환', voice], ['형변환', voice],
  ['Django 쿼리셋', orm], ['django', orm], ['queryset', orm], ['QUERYSET', orm], ['QuerySet 캐싱', orm],
  ['ㅍㅇㅆ', voice], ['ㅋㄹㅅ', orm], ['ㅅㄱㅅㅍ', neuro], ['ㅇㅅㅇㅅ', [voice, hearing], [hearing]],
  ['파잇', voice], ['쿼릿', orm], ['신경셒', neuro],
  ['러스트', [async, wasm, own]], ['소유권', own], ['빌림 검사기', own], ['tokio', async], ['toki', async],
  ['wasm', wasm], ['WebAssembly', wasm], ['쿠버네티스', k8s], ['헬름 차트', k8s], ['Jetpack Compose', compose],
  ['compose', compose], ['리컴포지션', compose], ['모델 서빙', ml], ['텐서플로', ml], ['XSS', xss],
  ['이스케이프', xss], ['자바스크립트', js, [wasm]], ['비동기', [async, js], [async, js]], ['인덱스', db],
  ['코드 리뷰', review], ['풀 리퀘스트', review], ['커뮤니티', learned],
  // Loanwords in the other script: the built-in table, pairs written as 리뷰어(reviewer) in a
  // note, `[search] synonyms` and `[tags.aliases]` in the fixture's config.
  ['장고', [orm, admin], [orm, admin]], ['django', [orm, admin], [orm, admin]], ['Django 어드민', admin],
  ['kubernetes', k8s], ['k8s', k8s], ['tensorflow', ml], ['reviewer', review, [k8s]], ['borrowing', own],
  ['웹아셈', wasm], ['장고의', [orm, admin], [orm, admin]],
  // 초성 from any word start: one word's syllables or the first syllables of words in a row.
  ['ㅂㅇㄱㅈ', hearing], ['ㅇㅁㄱ', hearing], ['ㄱㅂㄱ', hearing], ['ㅇㅍㄹㅋㅇㅅ', hearing],
  ['음성인식'.normalize('NFD'), voice], ['쿼리셋'.normalize('NFD'), orm], ['ㅍㅇㅆ'.normalize('NFD'), voice],
];
export const NOTHING = ['블록체인', 'ownership', 'ㅎㅎㅎ', '양자컴퓨터', '파이썬 블록체인', 'zzzz'];
