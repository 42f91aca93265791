"""演習 8.6 define-and-run: placeholder とセッション / Exercise 8.6: define-and-run with placeholders and a session

TensorFlow 1 は、まずグラフを組み立て、それからセッションで実行します (下のコード)。
この仕組みの小さな版を自分で作ってください (計算には NumPy を使います)。
TensorFlow 1 first BUILDS a graph and only then RUNS it in a session:
    x1 = tf.placeholder(tf.float32)             # no value yet
    y = x1 ** 2 + 2 * x2                         # y is a node, not a number
    with tf.Session() as sess:
        print(sess.run(y, feed_dict={x1: ..., x2: ...}))   # values only now
Build a tiny version of this yourself (NumPy for the arithmetic).

書くクラス / Classes to write:
    Placeholder(name)  値を持たない入力。値は実行するときに feed_dict から来ます。
    Constant(value)    決まった値 (数か NumPy 配列)。
    Add(a, b), Mul(a, b)  要素ごとの a + b、a * b (NumPy のブロードキャストあり。a, b はノード)。
    Pow(a, p)          a ** p (a はノード、p は Python の数)。
    ReduceSum(a)       a の全要素の和。
    Session()          run(fetches, feed_dict=None) をもちます。fetches が 1 つのノードなら
                       その値を、ノードのリストなら値のリストを返します (値は NumPy 配列か数)。
                       feed_dict は {placeholder: 値} の辞書で、値は数・リスト・NumPy 配列です。
    Placeholder(name)  an input without a value; its value comes from feed_dict at run time.
    Constant(value)    a fixed value (a number or a NumPy array).
    Add(a, b)          a + b   (element-wise, NumPy broadcasting; a and b are nodes)
    Mul(a, b)          a * b   (element-wise, NumPy broadcasting; a and b are nodes)
    Pow(a, p)          a ** p  (a is a node, p a Python number)
    ReduceSum(a)       the sum of all elements of a
    Session()          with run(fetches, feed_dict=None):
        fetches:   a node -> return its value; a list of nodes -> return a list of values
                   (values are NumPy arrays or numbers).
        feed_dict: {placeholder: value}, the value a number, a list or a NumPy array.

決まり (TF1 と同じ) / Rules (as in TF1):
    1. ノードを作るときには何も計算しません。計算はすべて run の中で行います。
       Creating nodes computes NOTHING (define-and-run); all computing happens in run.
    2. run は毎回、その回の feed_dict から計算します。同じグラフを別の値で何度でも
       実行でき、前の実行の値が次の実行に残ってはいけません。
       Every run computes from ITS OWN feed_dict: the same graph can be run again with
       other values, and nothing from an earlier run may leak into a later one.
    3. fetches の計算に必要な placeholder の値が feed_dict にないときは、その
       placeholder の名前を含むメッセージで ValueError を出します。fetches に
       必要ない placeholder には値がなくてもかまいません。
       If a placeholder that the fetches need has no value in feed_dict, raise a
       ValueError whose message contains the placeholder's name (TF1 says
       "You must feed a value for placeholder tensor 'x2'"). Placeholders the
       fetches do not need may stay unfed.

教材の計算例 / Worked numbers (the lab manual's TF v1 example):
    x1, x2 = Placeholder("x1"), Placeholder("x2")
    y = Add(Pow(x1, 2), Mul(Constant(2.0), x2))
    z = Add(ReduceSum(Pow(y, 3)), Constant(4.0))
    Session().run(z, {x1: [[1, 2], [3, 4]], x2: [[1, -2], [-3, -4]]})  ->  570.0

Check it with: dltutor check 8.6
"""

import numpy as np


class Placeholder:
    def __init__(self, name):
        # TODO: remember the name (there is no value!)
        raise NotImplementedError


class Constant:
    def __init__(self, value):
        # TODO
        raise NotImplementedError


class Add:
    def __init__(self, a, b):
        # TODO: remember the inputs; do not compute anything here
        raise NotImplementedError


class Mul:
    def __init__(self, a, b):
        # TODO
        raise NotImplementedError


class Pow:
    def __init__(self, a, p):
        # TODO
        raise NotImplementedError


class ReduceSum:
    def __init__(self, a):
        # TODO
        raise NotImplementedError


class Session:
    def run(self, fetches, feed_dict=None):
        # TODO: evaluate the fetches from this run's feed_dict (recursively through the inputs)
        # TODO: a needed placeholder without a value -> ValueError that names it
        raise NotImplementedError


if __name__ == "__main__":
    # You may run this file yourself to experiment: python 06-graph.py
    x1, x2 = Placeholder("x1"), Placeholder("x2")
    y = Add(Pow(x1, 2), Mul(Constant(2.0), x2))
    z = Add(ReduceSum(Pow(y, 3)), Constant(4.0))
    print(y)                                       # a node, not a number
    sess = Session()
    print(sess.run(z, feed_dict={x1: [[1, 2], [3, 4]], x2: [[1, -2], [-3, -4]]}))   # 570.0
    print(sess.run([y, z], feed_dict={x1: [[0, 0], [0, 0]], x2: [[1, 1], [1, 1]]}))
