#!/usr/bin/env python3
"""Does a learned text classifier find held-out tropes the lexicon misses? (an experiment)

Trains one TF-IDF (words and word pairs) logistic regression per trope on the five tuned gold
files and the lexicon's own examples, then measures detection (which tropes a passage refers
to; status ignored), micro P/R/F1, on the two held-out files: the lexicon alone (the release
binary), the model alone, and the two together, at fixed thresholds and at the threshold the
model's own 5-fold cross-validation on the training passages picks. The held-out texts are
never printed. Needs scikit-learn (`pip install scikit-learn`) and `cargo build --release`.

    python3 scripts/learned-baseline.py
"""
import json, os, glob, subprocess, tomllib, sys, csv, tempfile
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
R=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TMP=tempfile.mkdtemp()
def load(f):
    out=[]
    d=os.path.dirname(f)
    for line in open(f):
        j=json.loads(line)
        t=j.get('text') or open(os.path.join(d,j['path'])).read()
        out.append((j['id'],t,sorted({g['trope'] for g in j['gold']})))
    return out
train=[]
for n in ['dev','dev2','samples','dev3','dev4']: train+=load(f'{R}/data/gold/{n}.jsonl')
ex=[]
for f in glob.glob(f'{R}/lexicons/tropes/*.toml'):
    d=tomllib.load(open(f,'rb'))
    for e in d.get('examples',[]):
        ex.append(('ex',e['text'],[d['id']] if e['expect']!='none' else []))
test=load(f'{R}/data/gold/holdout.jsonl')+load(f'{R}/data/gold/holdout3.jsonl')
tropes=sorted({t for _,_,g in train+ex+test for t in g})
# lexicon predictions on test, via batch on a JSONL
with open(os.path.join(TMP,'test.jsonl'),'w') as o:
    for i,t,_ in test: o.write(json.dumps({'id':i,'text':t})+'\n')
subprocess.run([f'{R}/target/release/tropescope','batch',os.path.join(TMP,'test.jsonl'),'--text-field','text','--id-field','id','-o',os.path.join(TMP,'lex.csv')],check=True,capture_output=True)
lex={}
for r in csv.DictReader(open(os.path.join(TMP,'lex.csv'))):
    s=set()
    for c in ('tropes_present','tropes_absent','tropes_generic'):
        s|={x for x in r[c].split(';') if x}
    lex[r['id']]=s
def prf(pred,gold):
    tp=sum(len(p&g) for p,g in zip(pred,gold)); fp=sum(len(p-g) for p,g in zip(pred,gold)); fn=sum(len(g-p) for p,g in zip(pred,gold))
    P=tp/max(tp+fp,1); Rr=tp/max(tp+fn,1); F=2*P*Rr/max(P+Rr,1e-9)
    return f'P {P:.3f} R {Rr:.3f} F1 {F:.3f} (tp {tp} fp {fp} fn {fn})'
gold=[set(g) for _,_,g in test]
lexp=[lex[i] for i,_,_ in test]
print('lexicon alone      ',prf(lexp,gold))
docs=train+ex
X_text=[t for _,t,_ in docs]
Y=np.array([[t in g for t in tropes] for _,_,g in docs],dtype=int)
vec=TfidfVectorizer(ngram_range=(1,2),sublinear_tf=True,min_df=1,lowercase=True,strip_accents='unicode')
X=vec.fit_transform(X_text)
Xt=vec.transform([t for _,t,_ in test])
probs=np.zeros((len(test),len(tropes)))
for k,t in enumerate(tropes):
    if Y[:,k].sum()<2: continue
    m=LogisticRegression(C=10,class_weight='balanced',max_iter=2000).fit(X,Y[:,k])
    probs[:,k]=m.predict_proba(Xt)[:,1]
for th in [0.5,0.7,0.8,0.9]:
    mp=[{tropes[k] for k in range(len(tropes)) if probs[i,k]>=th} for i in range(len(test))]
    un=[a|b for a,b in zip(mp,lexp)]
    print(f'model >= {th}      ',prf(mp,gold))
    print(f'lexicon + model {th}',prf(un,gold))
# The threshold chosen without the test files: the model's own micro F1 in 5-fold
# cross-validation over the training passages.
kf=KFold(5,shuffle=True,random_state=1)
cv=np.zeros(Y.shape)
for tr,va in kf.split(X_text):
    v=TfidfVectorizer(ngram_range=(1,2),sublinear_tf=True,min_df=1,lowercase=True,strip_accents='unicode')
    Xa=v.fit_transform([X_text[i] for i in tr]); Xb=v.transform([X_text[i] for i in va])
    for k in range(len(tropes)):
        if Y[tr,k].sum()<2: continue
        m=LogisticRegression(C=10,class_weight='balanced',max_iter=2000).fit(Xa,Y[tr,k])
        cv[va,k]=m.predict_proba(Xb)[:,1]
best=None
for th in [0.2,0.3,0.4,0.5,0.6,0.7,0.8]:
    pred=cv>=th; tp=(pred&(Y==1)).sum(); fp=(pred&(Y==0)).sum(); fn=((~pred)&(Y==1)).sum()
    f=2*tp/(2*tp+fp+fn); print(f'cv threshold {th}: model F1 {f:.3f}')
    if best is None or f>best[0]: best=(f,th)
th=best[1]
mp=[{tropes[k] for k in range(len(tropes)) if probs[i,k]>=th} for i in range(len(test))]
print(f'chosen by cv: {th}')
print(f'model >= {th} on test      ',prf(mp,gold))
print(f'lexicon + model {th} on test',prf([a|b for a,b in zip(mp,lexp)],gold))
