#!/usr/bin/env python3
"""Can a learned classifier of a mention's words fix the context rules' statuses on new text?
(an experiment, measured and dropped: see README, "Accuracy", item 9)

For every mention the release build finds in the gold files, the words before and after it in
its sentence (and, in the "text+rule" variant, the rules' status and deciding cue category)
are features of a logistic regression trained on the five tuned files' mentions that have one
gold status, and predicting it. Prints mention-level status accuracy and document-level
status-aware F1 on the tuned files (5-fold cross-validation by document) and on the two
held-out files, for the rules alone, the classifier alone (threshold 0) and the classifier
overriding the rules above a confidence threshold. Only aggregate figures are printed, never
a text. Needs scikit-learn (`pip install scikit-learn`) and `cargo build --release`.

    python3 scripts/status-classifier.py
"""
import json, os, re, subprocess, sys, collections, tempfile
import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
R=os.path.dirname(os.path.dirname(os.path.abspath(__file__))); T=tempfile.mkdtemp()
BIN=sys.argv[1] if len(sys.argv)>1 else R+'/target/release/tropescope'
def load(name):
    f=f'{R}/data/gold/{name}.jsonl'; d=os.path.dirname(f); out=[]
    for line in open(f):
        j=json.loads(line)
        t=j.get('text') or open(os.path.join(d,j['path'])).read()
        out.append({'id':j['id'],'text':t,'gold':[(g['trope'],g['status']) for g in j['gold']]})
    return out
def run(name, docs):
    p=f'{T}/{name}.in.jsonl'
    with open(p,'w') as o:
        for d in docs: o.write(json.dumps({'id':d['id'],'text':d['text']})+'\n')
    subprocess.run([BIN,'batch',p,'--text-field','text','--id-field','id','-o',f'{T}/{name}.out.csv','--mentions',f'{T}/{name}.m.jsonl','--format','jsonl'],check=True,capture_output=True)
    ms=collections.defaultdict(list)
    for line in open(f'{T}/{name}.m.jsonl'):
        m=json.loads(line); ms[m['id']].append(m)
    return ms
SPLIT=re.compile(r'(?<=[.!?])["”’)]*\s+')
def sentence_of(text, start, end):
    a=max(text.rfind('. ',0,start),text.rfind('! ',0,start),text.rfind('? ',0,start),text.rfind('\n',0,start))
    a = 0 if a<0 else a+2
    bs=[text.find(x,end) for x in ('. ','! ','? ','\n')]; bs=[b for b in bs if b>=0]
    b=min(bs)+1 if bs else len(text)
    return text[a:start], text[end:b]
def examples(docs, ms):
    X=[];y=[];meta=[]
    for d in docs:
        gold=collections.defaultdict(set)
        for t,s in d['gold']: gold[t].add(s)
        for m in ms.get(d['id'],[]):
            before,after=sentence_of(d['text'],m['start'],m['end'])
            feats=' '.join(['B_'+w for w in re.findall(r"[a-z']+",before.lower())]+['A_'+w for w in re.findall(r"[a-z']+",after.lower())]+['R_'+m['status'], 'C_'+(m['cue_category'] or 'none'), 'F_'+m['family']])
            lab=next(iter(gold[m['trope']])) if len(gold[m['trope']])==1 else None
            X.append(feats); y.append(lab); meta.append((d['id'],m['trope'],m['status']))
    return X,y,meta
def pairs_f1(docs, meta, statuses):
    pred=collections.defaultdict(set)
    for (i,t,_),s in zip(meta,statuses): pred[i].add((t,s))
    tp=fp=fn=0
    for d in docs:
        g=set(d['gold']); p=pred[d['id']]
        tp+=len(g&p); fp+=len(p-g); fn+=len(g-p)
    P=tp/max(tp+fp,1); Rr=tp/max(tp+fn,1); return 2*P*Rr/max(P+Rr,1e-9), tp, fp, fn
tuned=[]; 
for n in ['dev','dev2','dev3','dev4','samples']: tuned+=load(n)
held=load('holdout')+load('holdout3')
mt=run('tuned',tuned); mh=run('held',held)
Xt,yt,metat=examples(tuned,mt); Xh,yh,metah=examples(held,mh)
print('tuned mentions',len(Xt),'labelled',sum(y is not None for y in yt),' held',len(Xh),'labelled',sum(y is not None for y in yh))
def acc(meta,y,pred):
    ok=[p==l for p,l,(i,t,s) in zip(pred,y,meta) if l is not None]; return sum(ok)/len(ok)
rules_t=[s for _,_,s in metat]; rules_h=[s for _,_,s in metah]
print('rules: tuned acc %.3f F1 %.3f | held acc %.3f F1 %.3f'%(acc(metat,yt,rules_t),pairs_f1(tuned,metat,rules_t)[0],acc(metah,yh,rules_h),pairs_f1(held,metah,rules_h)[0]))
idx=[k for k,l in enumerate(yt) if l is not None]
for variant in ['text','text+rule']:
    def fx(X): return X if variant=='text+rule' else [' '.join(w for w in x.split() if not w.startswith(('R_','C_'))) for x in X]
    vec=CountVectorizer(token_pattern=r'\S+',binary=True,ngram_range=(1,1),min_df=2)
    Xtr=vec.fit_transform([fx(Xt)[k] for k in idx]); ytr=[yt[k] for k in idx]
    for C in [0.3,1.0,3.0]:
        clf=LogisticRegression(C=C,max_iter=3000).fit(Xtr,ytr)
        P=clf.predict_proba(vec.transform(fx(Xh))); cls=list(clf.classes_)
        # CV on tuned, grouped by document
        groups=[metat[k][0] for k in idx]
        cvp=np.zeros((len(idx),len(cls)))
        for tr,te in GroupKFold(5).split(Xtr,ytr,groups):
            c2=LogisticRegression(C=C,max_iter=3000).fit(Xtr[tr],[ytr[k] for k in tr]); cvp[te]=c2.predict_proba(Xtr[te])
        for thr in [0.0,0.6,0.8,0.9]:
            def combine(rules,probs):
                out=[]
                for r,p in zip(rules,probs):
                    k=int(np.argmax(p)); out.append(cls[k] if p[k]>=thr and thr>0 else (cls[k] if thr==0 else r))
                return out
            # CV figure on tuned (labelled mentions only) vs rules
            cv_pred=combine([rules_t[k] for k in idx],cvp)
            cvacc=sum(a==b for a,b in zip(cv_pred,ytr))/len(ytr)
            hp=combine(rules_h,P)
            print(f'{variant:10s} C={C} thr={thr}: tuned-CV acc {cvacc:.3f} (rules {sum(a==b for a,b in zip([rules_t[k] for k in idx],ytr))/len(ytr):.3f}) | held acc {acc(metah,yh,hp):.3f} F1 {pairs_f1(held,metah,hp)[0]:.3f}')
